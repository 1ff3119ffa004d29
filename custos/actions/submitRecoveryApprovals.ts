import { type Address, type Hex, type PublicClient } from "viem";
import type { GuardianConfig } from "../config.js";
import type { SignedApproval } from "../approvals/types.js";
import { collectApprovals } from "./collectApprovals.js";
import { loadAccountContext, requireValidNewOwner, type ContextOptions } from "./context.js";
import { requireNoRecovery } from "./startRecovery.js";
import { sendCall } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";

export function submitRecoveryApprovalsCall(
  account: Address,
  newOwner: Address,
  deadline: bigint,
  config: GuardianConfig,
  signatures: Hex,
): Call {
  return accountCall(account, "submitRecoveryApprovals", [newOwner, deadline, config, signatures]);
}

/**
 * Records some signed approvals on-chain before the quorum is reached (progress visible to everyone);
 * the recovery starts by itself once `threshold` approvals are recorded.
 */
export async function prepareSubmitRecoveryApprovals(
  client: PublicClient,
  parameters: ContextOptions & { account: Address; approvals: readonly SignedApproval[] },
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  requireNoRecovery(ctx);
  const collected = await collectApprovals(client, ctx, "Recovery", parameters.approvals, { requireQuorum: false });
  requireValidNewOwner(ctx, collected.newOwner);
  return submitRecoveryApprovalsCall(
    ctx.account,
    collected.newOwner,
    collected.deadline,
    ctx.config,
    collected.signatures,
  );
}

export async function submitRecoveryApprovals(
  client: PublicClient,
  wallet: SenderClient,
  parameters: ContextOptions & { account: Address; approvals: readonly SignedApproval[] },
): Promise<TransactionResult> {
  return sendCall(client, wallet, await prepareSubmitRecoveryApprovals(client, parameters));
}
