import { getAddress, hashTypedData, type Address, type Hex, type PublicClient } from "viem";
import { custosAccountAbi } from "../generated/abis.js";
import { approvalTypedData } from "../approvals/typedData.js";
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
  options: {
    newOwner?: Address;
    requireQuorum?: boolean;
    /**
     * For a UserOperation: its validation never runs guardian code (S14), so an ERC-1271 signature of a
     * contract guardian is refused here; that guardian approves on-chain instead, which counts.
     */
    forUserOperation?: boolean;
  } = {},
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
  if (options.forUserOperation) {
    const contract = sorted.find((approval) => approval.signatureKind === "erc1271");
    if (contract) {
      throw new ApprovalError(
        "CONTRACT_GUARDIAN_MUST_APPROVE_ONCHAIN",
        `guardian ${contract.signer} is a contract: it approves with an on-chain call (for a Safe, a transaction its owners sign), not with a signature in the UserOperation`,
      );
    }
  }
  const deadline = sorted[0]!.deadline;
  const onChain =
    kind === "Rotation" ? 0n : await onChainApprovals(client, ctx, kind, newOwner ?? sorted[0]!.newOwner, deadline);
  const count = countBits(sorted.reduce((bits, approval) => bits | (1n << BigInt(approval.index)), onChain));
  const required = requiredApprovals(ctx, kind);
  if ((options.requireQuorum ?? true) && count < required) {
    throw new ApprovalError("MALFORMED", `not enough approvals: ${count} valid, ${required} needed`);
  }
  return {
    signatures,
    approvals: sorted,
    deadline,
    newOwner: getAddress(sorted[0]!.newOwner),
    count,
    required,
  };
}

/** The bitmap of guardian indexes that approved this request on-chain (contract guardians, relayed signatures). */
export async function onChainApprovals(
  client: PublicClient,
  ctx: AccountContext,
  kind: "Recovery" | "CancelRecovery",
  newOwner: Address,
  deadline: bigint,
): Promise<bigint> {
  const digest = hashTypedData(
    approvalTypedData({
      kind,
      chainId: ctx.chainId,
      account: ctx.account,
      newOwner,
      nonce: ctx.nonce,
      epoch: ctx.epoch,
      deadline,
    }),
  );
  return client.readContract({
    address: ctx.account,
    abi: custosAccountAbi,
    functionName: "recoveryApprovals",
    args: [digest],
  });
}

function countBits(bits: bigint): number {
  let n = 0;
  for (let rest = bits; rest !== 0n; rest &= rest - 1n) n++;
  return n;
}
