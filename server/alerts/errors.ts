import { CustosError } from "../../custos/index.js";

export type AlertErrorCode =
  | "INVALID_SUBSCRIPTION"
  | "UNKNOWN_TOKEN"
  | "TOKEN_EXPIRED"
  | "DELIVERY_FAILED"
  | "BAD_SIGNATURE"
  | "STALE_TIMESTAMP"
  | "NOT_CONFIGURED"
  | "WEBHOOK_NOT_ALLOWED"
  | "RATE_LIMITED";

/** Every error of the alert feature: a stable `code` and one sentence a person understands. */
export class AlertError extends CustosError {
  override name = "AlertError";
  declare readonly code: AlertErrorCode;
  constructor(code: AlertErrorCode, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(code, shortMessage, options);
  }
}
