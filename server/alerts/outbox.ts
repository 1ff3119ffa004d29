/**
 * The outbox: one row per (event, subscription), unique, so an alert exists once whatever the watcher
 * re-reads. Delivery claims a row (lease), sends, and marks it sent; failures retry with exponential
 * backoff until `maxAttempts`, then the row is marked failed.
 */
import type { Database } from "../db.js";
import { postWebhook, sendEmail, type MailSettings } from "./channels.js";
import { composeAlert, type AlertMessage } from "./message.js";
import { unsubscribeApiUrl, unsubscribePageUrl } from "./links.js";
import { getEvent } from "./store.js";
import { deliveryTarget } from "./subscriptions.js";

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** A claimed row whose sender died is retried after this long. */
  leaseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 10,
  leaseMs: 300_000,
};

export function enqueue(db: Database, eventId: number, subscriptionIds: readonly string[], nowMs: number): void {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO alert_outbox (event_id, subscription_id, status, next_attempt_at) VALUES (?, ?, 'pending', ?)`,
  );
  for (const id of subscriptionIds) insert.run(eventId, id, nowMs);
}

/** Delay before attempt `attempts + 1`: base · 2^(attempts-1), capped. */
export function backoffMs(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

interface OutboxRow {
  id: number;
  event_id: number;
  subscription_id: string;
  attempts: number;
}

export interface DeliveryContext {
  db: Database;
  appUrl: string;
  mail?: MailSettings;
  retry: RetryPolicy;
  now?: () => number;
}

export interface DeliveryReport {
  sent: number;
  failed: number;
  cancelled: number;
  retried: number;
}

/** Stable id of an alert, sent as Message-ID / Custos-Delivery so receivers can drop a copy. */
export function deliveryId(chainId: number, row: { event_id: number; subscription_id: string }, eventKey: string) {
  return `${chainId}-${eventKey.slice(0, 16)}-${row.subscription_id}`;
}

function mark(db: Database, id: number, status: string, fields: { error?: string; next?: number; sentAt?: number }) {
  db.prepare(
    `UPDATE alert_outbox SET status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),
       sent_at = COALESCE(?, sent_at) WHERE id = ?`,
  ).run(status, fields.error ?? null, fields.next ?? null, fields.sentAt ?? null, id);
}

/** Delivers every due alert once. */
export async function deliverDue(ctx: DeliveryContext, limit = 100): Promise<DeliveryReport> {
  const now = ctx.now ?? Date.now;
  const report: DeliveryReport = { sent: 0, failed: 0, cancelled: 0, retried: 0 };
  const due = ctx.db
    .prepare(
      `SELECT id, event_id, subscription_id, attempts FROM alert_outbox
       WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
    )
    .all(now(), limit) as unknown as OutboxRow[];
  for (const row of due) {
    // Claim with a lease: a crashed sender's row becomes due again after leaseMs.
    const claimed = ctx.db
      .prepare(
        `UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ?
         WHERE id = ? AND status IN ('pending', 'sending') AND next_attempt_at <= ?`,
      )
      .run(now() + ctx.retry.leaseMs, row.id, now());
    if (Number(claimed.changes) !== 1) continue;
    const attempts = row.attempts + 1;
    const sub = deliveryTarget(ctx.db, row.subscription_id);
    const event = getEvent(ctx.db, row.event_id);
    if (!sub || sub.status !== "active" || !event || event.orphaned) {
      mark(ctx.db, row.id, "cancelled", {
        error: !event || event.orphaned ? "event removed" : "subscription inactive",
      });
      report.cancelled++;
      continue;
    }
    const id = deliveryId(event.chainId, row, event.eventKey);
    const message = composeAlert({
      kind: event.kind,
      chainId: event.chainId,
      account: event.account,
      txHash: event.txHash,
      blockNumber: event.blockNumber,
      blockHash: event.blockHash,
      blockTime: event.blockTime,
      data: event.data,
      role: sub.role,
      appUrl: ctx.appUrl,
      unsubscribeUrl: unsubscribePageUrl(ctx.appUrl, sub.unsubscribeToken),
      deliveryId: id,
    });
    try {
      await send(ctx, sub, message, id);
      mark(ctx.db, row.id, "sent", { sentAt: now() });
      report.sent++;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (attempts >= ctx.retry.maxAttempts) {
        mark(ctx.db, row.id, "failed", { error: reason });
        report.failed++;
      } else {
        mark(ctx.db, row.id, "pending", { error: reason, next: now() + backoffMs(ctx.retry, attempts) });
        report.retried++;
      }
    }
  }
  return report;
}

async function send(
  ctx: DeliveryContext,
  sub: NonNullable<ReturnType<typeof deliveryTarget>>,
  message: AlertMessage,
  id: string,
): Promise<void> {
  if (sub.channel === "email") {
    if (!ctx.mail) throw new Error("no SMTP server configured (CUSTOS_SMTP_URL)");
    await sendEmail(ctx.mail, {
      to: sub.target,
      subject: message.subject,
      text: message.text,
      messageId: `<${id}@custos>`,
      unsubscribePostUrl: unsubscribeApiUrl(ctx.appUrl, sub.unsubscribeToken),
    });
    return;
  }
  if (!sub.webhookSecret) throw new Error("webhook subscription without a secret");
  await postWebhook(sub.target, sub.webhookSecret, message.webhookBody, id);
}
