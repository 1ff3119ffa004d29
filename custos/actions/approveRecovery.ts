import { type Address, type PublicClient } from "viem";
import type { GuardianConfig } from "../config.js";
import { ApprovalError } from "../errors.js";
import { DEFAULT_APPROVAL_VALIDITY } from "../approvals/build.js";
import { loadAccountContext, requireGuardian, requireValidNewOwner, type ContextOptions } from "./context.js";
import { requireNoRecovery } from "./startRecovery.js";
import { sendCall } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";
import { onChainApprovals } from "./collectApprovals.js";

export function approveRecoveryCall(
  account: Address,
  newOwner: Address,
  deadline: bigint,
  config: GuardianConfig,
  index: number,
): Call {
  return accountCall(account, "approveRecovery", [newOwner, deadline, config, BigInt(index)]);
}

export interface ApproveRecoveryParameters extends ContextOptions {
  account: Address;
  guardian: Address;
  newOwner: Address;
  /** Must equal the deadline of the other guardians' approvals for them to add up. */
  deadline?: bigint;
}

/**
 * A guardian records its approval on-chain (for guardians that cannot sign off-chain, e.g. a multisig
 * executing a transaction); the recovery starts when `threshold` approvals are recorded.
 */
export async function prepareApproveRecovery(
  client: PublicClient,
  parameters: ApproveRecoveryParameters,
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  const index = requireGuardian(ctx, parameters.guardian);
  requireNoRecovery(ctx);
  requireValidNewOwner(ctx, parameters.newOwner);
  const deadline = parameters.deadline ?? ctx.now + DEFAULT_APPROVAL_VALIDITY;
  if (deadline < ctx.now) throw new ApprovalError("EXPIRED", "the approval deadline has already passed");
  const bitmap = await onChainApprovals(client, ctx, "Recovery", parameters.newOwner, deadline);
  if (bitmap & (1n << BigInt(index))) {
    throw new ApprovalError("DUPLICATE", `guardian ${parameters.guardian} already approved this recovery`);
  }
  return approveRecoveryCall(ctx.account, parameters.newOwner, deadline, ctx.config, index);
}

export async function approveRecovery(
  client: PublicClient,
  wallet: SenderClient,
  parameters: Omit<ApproveRecoveryParameters, "guardian">,
): Promise<TransactionResult> {
  const call = await prepareApproveRecovery(client, { ...parameters, guardian: wallet.account.address });
  return sendCall(client, wallet, call);
}
