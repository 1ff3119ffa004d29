import { encodeApprovalRequest, parseApprovalRequest, type ApprovalRequest } from "@custos";

/**
 * The guardian request a recovery or rotation is collecting approvals for, kept on this device so a
 * tab closed for days comes back to the same request (and the approvals already given still count).
 * Public data only.
 */
const PREFIX = "custos.request.v1.";

function key(kind: string, account: string): string {
  return `${PREFIX}${kind}.${account.toLowerCase()}`;
}

/** The saved request if it is still the one the account would accept (same owner, nonce, epoch, not expiring). */
export function readSavedRequest(
  want: Pick<ApprovalRequest, "kind" | "account" | "newOwner" | "nonce" | "epoch">,
  now: bigint,
): ApprovalRequest | undefined {
  const raw = window.localStorage.getItem(key(want.kind, want.account));
  if (!raw) return undefined;
  try {
    const r = parseApprovalRequest(raw);
    const same =
      r.newOwner.toLowerCase() === want.newOwner.toLowerCase() && r.nonce === want.nonce && r.epoch === want.epoch;
    return same && r.deadline > now + 3600n ? r : undefined;
  } catch {
    return undefined;
  }
}

export function saveRequest(request: ApprovalRequest): void {
  window.localStorage.setItem(key(request.kind, request.account), encodeApprovalRequest(request));
}
