/**
 * The outbox: one row per (event, subscription), unique, so an alert exists once whatever the watcher
 * re-reads. Delivery claims a row (lease), sends, and marks it sent; failures retry with exponential
 * backoff until `maxAttempts`, then the row is marked failed.
 *
 * Deliveries run concurrently, one lane per destination: a destination's alerts go out in order, and
 * a receiver that hangs holds only its own lane, for at most the webhook timeout. A pass claims rows
 * and returns; it does not wait for slow lanes, so the watcher's next scan is never held up by them.
 */
import type { Database } from "../db/index.js";
import { postWebhook, sendEmail, type MailSettings } from "./channels.js";
import { composeAlert, type AlertMessage } from "./message.js";
import { unsubscribeApiUrl, unsubscribePageUrl } from "./links.js";
import { getEvent } from "./store.js";
import { deliveryTarget, type DeliveryTarget } from "./subscriptions.js";
import { webhookPolicyFromEnv, type WebhookPolicy } from "./webhookPolicy.js";

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

export async function enqueue(db: Database, eventId: number, subscriptionIds: readonly string[], nowMs: number) {
  if (subscriptionIds.length === 0) return;
  await db
    .insertInto("alert_outbox")
    .values(
      subscriptionIds.map((id) => ({
        event_id: eventId,
        subscription_id: id,
        status: "pending" as const,
        next_attempt_at: nowMs,
        last_error: null,
        sent_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(["event_id", "subscription_id"]).doNothing())
    .execute();
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
  /** Webhook destinations allowed and the per-delivery timeout (default from env). */
  webhooks?: WebhookPolicy;
  now?: () => number;
}

export interface DeliveryReport {
  sent: number;
  failed: number;
  cancelled: number;
  retried: number;
}

const emptyReport = (): DeliveryReport => ({ sent: 0, failed: 0, cancelled: 0, retried: 0 });

/** Stable id of an alert, sent as Message-ID / Custos-Delivery so receivers can drop a copy. */
export function deliveryId(chainId: number, row: { event_id: number; subscription_id: string }, eventKey: string) {
  return `${chainId}-${eventKey.slice(0, 16)}-${row.subscription_id}`;
}

async function mark(
  db: Database,
  id: number,
  status: "pending" | "sent" | "cancelled" | "failed",
  fields: { error?: string; next?: number; sentAt?: number },
) {
  let update = db.updateTable("alert_outbox").set({ status, last_error: fields.error ?? null });
  if (fields.next !== undefined) update = update.set({ next_attempt_at: fields.next });
  if (fields.sentAt !== undefined) update = update.set({ sent_at: fields.sentAt });
  await update.where("id", "=", id).execute();
}

/** Claims a due row with a lease (atomic on both engines): a crashed sender's row is due again after leaseMs. */
async function claim(ctx: DeliveryContext, row: OutboxRow, now: number): Promise<boolean> {
  const result = await ctx.db
    .updateTable("alert_outbox")
    .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), next_attempt_at: now + ctx.retry.leaseMs }))
    .where("id", "=", row.id)
    .where("status", "in", ["pending", "sending"])
    .where("next_attempt_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

interface Job {
  row: OutboxRow;
  sub: DeliveryTarget;
  message: AlertMessage;
  id: string;
}

/**
 * Delivers the outbox. `pump()` claims due rows and starts their lanes; `drain()` waits for every
 * lane started so far. Counters accumulate until `takeReport()`.
 */
export class OutboxDelivery {
  private readonly lanes = new Map<string, Promise<void>>();
  private report = emptyReport();

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly options: { maxLanes?: number; batch?: number } = {},
  ) {}

  private now(): number {
    return (this.ctx.now ?? Date.now)();
  }

  /** Claims up to `batch` due rows of destinations that have no running lane and starts delivering them. */
  async pump(): Promise<void> {
    const maxLanes = this.options.maxLanes ?? 32;
    if (this.lanes.size >= maxLanes) return;
    const now = this.now();
    const due = (await this.ctx.db
      .selectFrom("alert_outbox")
      .select(["id", "event_id", "subscription_id", "attempts"])
      .where("status", "in", ["pending", "sending"])
      .where("next_attempt_at", "<=", now)
      .orderBy("id")
      .limit(this.options.batch ?? 100)
      .execute()) as OutboxRow[];
    const byTarget = new Map<string, Job[]>();
    for (const row of due) {
      const sub = await deliveryTarget(this.ctx.db, row.subscription_id);
      const lane = sub ? `${sub.channel}:${sub.target}` : `none:${row.subscription_id}`;
      if (this.lanes.has(lane)) continue;
      if (!byTarget.has(lane) && this.lanes.size + byTarget.size >= maxLanes) continue;
      if (!(await claim(this.ctx, row, this.now()))) continue;
      const job = await this.prepare(row, sub);
      if (!job) continue;
      byTarget.set(lane, [...(byTarget.get(lane) ?? []), job]);
    }
    for (const [lane, jobs] of byTarget) {
      const run = this.runLane(jobs).finally(() => this.lanes.delete(lane));
      this.lanes.set(lane, run);
    }
  }

  /** Waits until every lane started so far has finished. */
  async drain(): Promise<void> {
    while (this.lanes.size > 0) await Promise.allSettled([...this.lanes.values()]);
  }

  takeReport(): DeliveryReport {
    const report = this.report;
    this.report = emptyReport();
    return report;
  }

  private async prepare(row: OutboxRow, sub: DeliveryTarget | undefined): Promise<Job | undefined> {
    const event = await getEvent(this.ctx.db, row.event_id);
    if (!sub || sub.status !== "active" || !event || event.orphaned) {
      await mark(this.ctx.db, row.id, "cancelled", {
        error: !event || event.orphaned ? "event removed" : "subscription inactive",
      });
      this.report.cancelled++;
      return undefined;
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
      appUrl: this.ctx.appUrl,
      unsubscribeUrl: unsubscribePageUrl(this.ctx.appUrl, sub.unsubscribeToken),
      deliveryId: id,
    });
    return { row, sub, message, id };
  }

  /** Gives back a claimed row that was not attempted (its destination just failed): due now, attempt not counted. */
  private async release(id: number): Promise<void> {
    await this.ctx.db
      .updateTable("alert_outbox")
      .set((eb) => ({ status: "pending", attempts: eb("attempts", "-", 1), next_attempt_at: this.now() }))
      .where("id", "=", id)
      .execute();
  }

  /** One destination's alerts, in order; after a failure the rest wait for their retry time. */
  private async runLane(jobs: Job[]): Promise<void> {
    let failed = false;
    for (const job of jobs) {
      const attempts = job.row.attempts + 1;
      if (failed) {
        await this.release(job.row.id);
        continue;
      }
      try {
        await send(this.ctx, job.sub, job.message, job.id);
        await mark(this.ctx.db, job.row.id, "sent", { sentAt: this.now() });
        this.report.sent++;
      } catch (error) {
        failed = true;
        const reason = error instanceof Error ? error.message : String(error);
        if (attempts >= this.ctx.retry.maxAttempts) {
          await mark(this.ctx.db, job.row.id, "failed", { error: reason });
          this.report.failed++;
        } else {
          await mark(this.ctx.db, job.row.id, "pending", {
            error: reason,
            next: this.now() + backoffMs(this.ctx.retry, attempts),
          });
          this.report.retried++;
        }
      }
    }
  }
}

/** Delivers every due alert once and waits for the outcome (one pass; used by tests and tools). */
export async function deliverDue(ctx: DeliveryContext): Promise<DeliveryReport> {
  const delivery = new OutboxDelivery(ctx);
  await delivery.pump();
  await delivery.drain();
  return delivery.takeReport();
}

async function send(ctx: DeliveryContext, sub: DeliveryTarget, message: AlertMessage, id: string): Promise<void> {
  const policy = ctx.webhooks ?? webhookPolicyFromEnv();
  if (sub.channel === "email") {
    if (!ctx.mail) throw new Error("no SMTP server configured (CUSTOS_SMTP_URL)");
    await withTimeout(
      sendEmail(ctx.mail, {
        to: sub.target,
        subject: message.subject,
        text: message.text,
        messageId: `<${id}@custos>`,
        unsubscribePostUrl: unsubscribeApiUrl(ctx.appUrl, sub.unsubscribeToken),
      }),
      policy.timeoutMs * 3,
      `the e-mail to ${sub.target} was not accepted in time`,
    );
    return;
  }
  if (!sub.webhookSecret) throw new Error("webhook subscription without a secret");
  await postWebhook(sub.target, sub.webhookSecret, message.webhookBody, id, policy);
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
