import { type Address, type Hex, type PublicClient } from "viem";
import type { GuardianConfig } from "../config.js";
import { AccountStateError } from "../errors.js";
import type { SignedApproval } from "../approvals/types.js";
import { collectApprovals } from "./collectApprovals.js";
import { loadAccountContext, type ContextOptions } from "./context.js";
import { sendCall } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";

export function cancelRecoveryCall(account: Address, deadline: bigint, config: GuardianConfig, signatures: Hex): Call {
  return accountCall(account, "cancelRecovery", [deadline, config, signatures]);
}

/**
 * Cancels the pending recovery with ⌈(n+1)/2⌉ CancelRecovery signatures from the owner and guardians
 * (S3); anyone may send it.
 */
export async function prepareCancelRecovery(
  client: PublicClient,
  parameters: ContextOptions & {
    account: Address;
    approvals: readonly SignedApproval[];
    /** Sent as a UserOperation: contract guardians must have approved on-chain (`approveCancel`). */
    forUserOperation?: boolean;
  },
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  if (!ctx.recovering) throw new AccountStateError("NO_RECOVERY", "no recovery is pending on this account");
  const collected = await collectApprovals(client, ctx, "CancelRecovery", parameters.approvals, {
    forUserOperation: parameters.forUserOperation,
  });
  return cancelRecoveryCall(ctx.account, collected.deadline, ctx.config, collected.signatures);
}

export async function cancelRecovery(
  client: PublicClient,
  wallet: SenderClient,
  parameters: ContextOptions & { account: Address; approvals: readonly SignedApproval[] },
): Promise<TransactionResult> {
  return sendCall(client, wallet, await prepareCancelRecovery(client, parameters));
}
