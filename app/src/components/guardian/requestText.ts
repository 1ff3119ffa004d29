import type { ApprovalRequest } from "@custos";

/** What each kind of approval request asks a guardian to do, as the end of "You are asked to …". */
export const REQUEST_WHAT: Record<ApprovalRequest["kind"], string> = {
  Recovery: "move this account to a new owner (recovery)",
  Rotation: "replace this account's owner key at the owner's request (rotation)",
  CancelRecovery: "cancel the pending recovery of this account",
};

/** The heading of a request's new-owner row: a cancellation names the recovery it stops by its new owner. */
export function newOwnerHeading(kind: ApprovalRequest["kind"]): string {
  return kind === "CancelRecovery" ? "Recovery being cancelled (new owner)" : "New owner";
}

/** When a request stops being valid, as a UTC date. */
export function validUntil(request: ApprovalRequest): string {
  return new Date(Number(request.deadline) * 1000).toUTCString();
}
