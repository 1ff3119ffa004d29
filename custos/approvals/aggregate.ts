import { isAddressEqual, type Hex } from "viem";
import { ApprovalError } from "../errors.js";
import { encodeSignatureBlob } from "./signatureBlob.js";
import type { VerifiedApproval } from "./types.js";

export interface AggregatedApprovals {
  /** The signature blob the contract parses: entries sorted by signer index. */
  signatures: Hex;
  /** The approvals in blob order, one per signer. */
  approvals: VerifiedApproval[];
}

/**
 * Sorts verified approvals by signer index and encodes them into one blob. All must approve the same
 * request; a signer appearing twice counts once (the contract would reject the duplicate).
 */
export function aggregateApprovals(approvals: readonly VerifiedApproval[]): AggregatedApprovals {
  if (approvals.length === 0) throw new ApprovalError("MALFORMED", "no approvals to submit");
  const first = approvals[0]!;
  const unique = new Map<number, VerifiedApproval>();
  for (const approval of approvals) {
    const same =
      approval.kind === first.kind &&
      approval.chainId === first.chainId &&
      isAddressEqual(approval.account, first.account) &&
      isAddressEqual(approval.newOwner, first.newOwner) &&
      approval.nonce === first.nonce &&
      approval.epoch === first.epoch &&
      approval.deadline === first.deadline;
    if (!same) {
      throw new ApprovalError(
        "MALFORMED",
        `approvals of ${first.signer} and ${approval.signer} are for different requests (new owner or deadline differ)`,
      );
    }
    if (!unique.has(approval.index)) unique.set(approval.index, approval);
  }
  const sorted = [...unique.values()].sort((a, b) => a.index - b.index);
  const signatures = encodeSignatureBlob(
    sorted.map((a) => ({ index: a.index, kind: a.signatureKind, signature: a.signature })),
  );
  return { signatures, approvals: sorted };
}
