import { type Address, type PublicClient } from "viem";
import { AccountStateError, ApprovalError } from "../errors.js";
import { DEFAULT_APPROVAL_VALIDITY } from "../approvals/build.js";
import { loadAccountContext, requireGuardian, type ContextOptions } from "./context.js";
import { sendCall } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";
import { onChainApprovals } from "./collectApprovals.js";

export interface ApproveCancelParameters extends ContextOptions {
  account: Address;
  /** The guardian that calls: an EOA, or a contract guardian (a Safe, a multisig, a Custos account). */
  guardian: Address;
  /** Must equal the deadline of the owner's and other guardians' cancel signatures for them to add up. */
  deadline?: bigint;
}

/**
 * A guardian records its approval to cancel the pending recovery on-chain (S14: how contract guardians
 * co-sign a cancel); the recovery is cancelled when the quorum is recorded. Returns the call the
 * guardian makes, to send from its own wallet, its Safe or its Custos account.
 */
export async function prepareApproveCancel(client: PublicClient, parameters: ApproveCancelParameters): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  const index = requireGuardian(ctx, parameters.guardian);
  if (!ctx.recovering || !ctx.recovery) {
    throw new AccountStateError("NO_RECOVERY", "no recovery is pending on this account");
  }
  const deadline = parameters.deadline ?? ctx.now + DEFAULT_APPROVAL_VALIDITY;
  if (deadline < ctx.now) throw new ApprovalError("EXPIRED", "the approval deadline has already passed");
  const bitmap = await onChainApprovals(client, ctx, "CancelRecovery", ctx.recovery.newOwner, deadline);
  if (bitmap & (1n << BigInt(index))) {
    throw new ApprovalError("DUPLICATE", `guardian ${parameters.guardian} already approved this cancel`);
  }
  return accountCall(ctx.account, "approveCancel", [deadline, ctx.config, BigInt(index)]);
}

/** An EOA guardian approves the cancel on-chain from its own wallet. */
export async function approveCancel(
  client: PublicClient,
  wallet: SenderClient,
  parameters: Omit<ApproveCancelParameters, "guardian">,
): Promise<TransactionResult> {
  const call = await prepareApproveCancel(client, { ...parameters, guardian: wallet.account.address });
  return sendCall(client, wallet, call);
}
