/** The kinds of alert (no imports: safe to use in the browser bundle of the subscribe page). */
export const ALERT_KINDS = [
  "recovery.started",
  "recovery.approved",
  "recovery.cancelled",
  "recovery.executed",
  "owner.rotated",
  "account.locked",
  "account.unlocked",
  "config.requested",
  "config.cancelled",
  "config.applied",
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  "recovery.started": "A recovery is started",
  "recovery.approved": "A guardian approves a recovery",
  "recovery.cancelled": "A recovery is cancelled",
  "recovery.executed": "A recovery is executed",
  "owner.rotated": "The signer key is rotated",
  "account.locked": "The account is locked",
  "account.unlocked": "The account is unlocked",
  "config.requested": "A guardian change is requested",
  "config.cancelled": "A guardian change is cancelled",
  "config.applied": "A guardian change takes effect",
};

export function isAlertKind(value: string): value is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(value);
}
