/**
 * Every error the client library throws extends CustosError: `shortMessage` is one sentence a
 * person understands, `code` is stable for programs, `details` carries the technical cause.
 */
export class CustosError extends Error {
  override name = "CustosError";
  readonly code: string;
  readonly shortMessage: string;
  readonly details?: string;

  constructor(code: string, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/** Input that can never be valid (malformed address, signature, configuration). */
export class InvalidInputError extends CustosError {
  override name = "InvalidInputError";
  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super("INVALID_INPUT", shortMessage, options);
  }
}

/** A guardian or owner approval that is well formed but does not authorise what it is used for. */
export class ApprovalError extends CustosError {
  override name = "ApprovalError";
  constructor(
    code:
      | "WRONG_CHAIN"
      | "WRONG_ACCOUNT"
      | "WRONG_SIGNER"
      | "NOT_A_GUARDIAN"
      | "EXPIRED"
      | "STALE"
      | "DUPLICATE"
      | "CONTRACT_GUARDIAN_MUST_APPROVE_ONCHAIN"
      | "MALFORMED",
    shortMessage: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(code, shortMessage, options);
  }
}

/** The account's state forbids the action right now (locked, recovering, too early...). */
export class AccountStateError extends CustosError {
  override name = "AccountStateError";
}

/** "3 h 12 min", "45 s": a duration in words for messages. */
export function formatDuration(totalSeconds: number | bigint): string {
  let s = Math.max(0, Math.ceil(Number(totalSeconds)));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m && !d) parts.push(`${m} min`);
  if (s && !d && !h) parts.push(`${s} s`);
  return parts.length ? parts.join(" ") : "0 s";
}
