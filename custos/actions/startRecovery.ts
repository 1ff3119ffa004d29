import { type Address, type Hex, type PublicClient } from "viem";
import type { GuardianConfig } from "../config.js";
import { AccountStateError } from "../errors.js";
import type { SignedApproval } from "../approvals/types.js";
import { collectApprovals, type CollectedApprovals } from "./collectApprovals.js";
import { loadAccountContext, requireValidNewOwner, type AccountContext, type ContextOptions } from "./context.js";
import { sendCall } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";

export function startRecoveryCall(
  account: Address,
  newOwner: Address,
  deadline: bigint,
  config: GuardianConfig,
  signatures: Hex,
): Call {
  return accountCall(account, "startRecovery", [newOwner, deadline, config, signatures]);
}

export function requireNoRecovery(ctx: AccountContext): void {
  if (ctx.recovering) {
    throw new AccountStateError(
      "RECOVERING",
      `a recovery to ${ctx.recovery?.newOwner} is already pending on this account`,
    );
  }
}

export interface StartRecoveryParameters extends ContextOptions {
  account: Address;
  /** Signed guardian approvals (any order; verified and sorted here). */
  approvals: readonly SignedApproval[];
  /**
   * The start goes out as a UserOperation: contract guardians' ERC-1271 signatures are refused (they
   * approve on-chain, which counts), since validation never runs guardian code (S14).
   */
  forUserOperation?: boolean;
}

export interface PreparedRecovery extends CollectedApprovals {
  call: Call;
  context: AccountContext;
}

/** Verifies the approvals off-chain, checks the quorum and builds `startRecovery` (anyone may send it). */
export async function prepareStartRecovery(
  client: PublicClient,
  parameters: StartRecoveryParameters,
): Promise<PreparedRecovery> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  requireNoRecovery(ctx);
  const collected = await collectApprovals(client, ctx, "Recovery", parameters.approvals, {
    forUserOperation: parameters.forUserOperation,
  });
  requireValidNewOwner(ctx, collected.newOwner);
  const call = startRecoveryCall(ctx.account, collected.newOwner, collected.deadline, ctx.config, collected.signatures);
  return { ...collected, call, context: ctx };
}

/** Starts the recovery as a plain transaction from any funded sender (a relayer). */
export async function startRecovery(
  client: PublicClient,
  wallet: SenderClient,
  parameters: StartRecoveryParameters,
): Promise<TransactionResult> {
  const { call } = await prepareStartRecovery(client, parameters);
  return sendCall(client, wallet, call);
}
