import { getAddress, type Address, type Hex, type PublicClient } from "viem";
import { ApprovalError } from "../errors.js";
import { aggregateApprovals } from "../approvals/aggregate.js";
import { cancelQuorum, recoveryQuorum, rotationQuorum } from "../approvals/quorum.js";
import type { ApprovalKind } from "../approvals/typedData.js";
import type { SignedApproval, VerifiedApproval } from "../approvals/types.js";
import { verifyApproval } from "../approvals/verify.js";
import type { AccountContext } from "./context.js";

/** Signatures needed: recovery `threshold`; rotation ⌈n/2⌉; cancel ⌈(n+1)/2⌉ with n fixed at the start. */
export function requiredApprovals(ctx: AccountContext, kind: ApprovalKind): number {
  const n = ctx.config.guardians.length;
  if (kind === "Recovery") return recoveryQuorum(ctx.config.threshold);
  if (kind === "Rotation") return rotationQuorum(n);
  return cancelQuorum(ctx.recovery?.guardianCount ?? n);
}

export interface CollectedApprovals {
  signatures: Hex;
  approvals: VerifiedApproval[];
  deadline: bigint;
  newOwner: Address;
  count: number;
  required: number;
}

/**
 * Verifies every approval against the account's live state (chain, account, nonce, epoch, deadline,
 * guardian membership, signature) and aggregates them into the blob the contract parses. Throws the
 * first approval's problem as a typed error, or "not enough approvals" when the quorum is not met.
 */
export async function collectApprovals(
  client: PublicClient,
  ctx: AccountContext,
  kind: ApprovalKind,
  approvals: readonly SignedApproval[],
  options: { newOwner?: Address; requireQuorum?: boolean } = {},
): Promise<CollectedApprovals> {
  if (approvals.length === 0) throw new ApprovalError("MALFORMED", "no approvals were given");
  const newOwner = kind === "CancelRecovery" ? ctx.recovery?.newOwner : (options.newOwner ?? approvals[0]!.newOwner);
  const verified: VerifiedApproval[] = [];
  for (const approval of approvals) {
    verified.push(
      await verifyApproval(client, approval, {
        chainId: ctx.chainId,
        account: ctx.account,
        kind,
        newOwner,
        nonce: ctx.nonce,
        epoch: ctx.epoch,
        now: ctx.now,
        config: ctx.config,
        owner: kind === "CancelRecovery" ? ctx.owner : undefined,
      }),
    );
  }
  const { signatures, approvals: sorted } = aggregateApprovals(verified);
  const required = requiredApprovals(ctx, kind);
  if ((options.requireQuorum ?? true) && sorted.length < required) {
    throw new ApprovalError("MALFORMED", `not enough approvals: ${sorted.length} valid, ${required} needed`);
  }
  return {
    signatures,
    approvals: sorted,
    deadline: sorted[0]!.deadline,
    newOwner: getAddress(sorted[0]!.newOwner),
    count: sorted.length,
    required,
  };
}
