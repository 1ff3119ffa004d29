import { type Address, type Hex, type PublicClient } from "viem";
import type { GuardianConfig } from "../config.js";
import type { SignedApproval } from "../approvals/types.js";
import { collectApprovals } from "./collectApprovals.js";
import {
  loadAccountContext,
  requireNotRecovering,
  requireOwner,
  requireValidNewOwner,
  type ContextOptions,
} from "./context.js";
import { ownerSender } from "./send.js";
import type { Call } from "./types.js";
import { accountCall } from "./accountCall.js";

export function rotateOwnerCall(
  account: Address,
  newOwner: Address,
  deadline: bigint,
  config: GuardianConfig,
  signatures: Hex,
): Call {
  return accountCall(account, "rotateOwner", [newOwner, deadline, config, signatures]);
}

export interface RotateOwnerParameters extends ContextOptions {
  account: Address;
  newOwner: Address;
  /** Rotation approvals of ⌈n/2⌉ guardians; none when the account has no guardians. */
  approvals: readonly SignedApproval[];
  sender?: Address;
}

/**
 * S12: the owner replaces its key at once, with ⌈n/2⌉ guardian approvals (or alone without guardians).
 * It works while a guardian lock holds, and lifts it (S4); not while a recovery is pending.
 */
export async function prepareRotateOwner(client: PublicClient, parameters: RotateOwnerParameters): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  if (parameters.sender) requireOwner(ctx, parameters.sender);
  requireNotRecovering(ctx);
  requireValidNewOwner(ctx, parameters.newOwner);
  if (ctx.config.guardians.length === 0) {
    return rotateOwnerCall(ctx.account, parameters.newOwner, 0n, ctx.config, "0x");
  }
  const collected = await collectApprovals(client, ctx, "Rotation", parameters.approvals, {
    newOwner: parameters.newOwner,
  });
  return rotateOwnerCall(ctx.account, parameters.newOwner, collected.deadline, ctx.config, collected.signatures);
}

/** Rotates the owner key as a plain transaction from the current owner key (S12). */
export const rotateOwner = ownerSender(prepareRotateOwner);
