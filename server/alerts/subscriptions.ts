/**
 * Subscriptions: an owner or guardian asks for alerts of one account through one channel. A new
 * subscription is pending until the one-time link delivered to that channel is confirmed (only the
 * link token's SHA-256 is stored). Every message carries the subscription's unsubscribe link.
 */
import { getAddress, isAddress, type Address } from "viem";
import type { Database } from "../db/index.js";
import type { AlertSubscriptionsTable } from "../db/tables.js";
import { postWebhook, sendEmail, type MailSettings } from "./channels.js";
import { checkWebhookHost, webhookPolicyFromEnv, type WebhookPolicy } from "./webhookPolicy.js";
import { AlertError } from "./errors.js";
import { ALERT_KINDS, isAlertKind, type AlertKind } from "./events.js";
import { confirmApiUrl, confirmPageUrl, unsubscribeApiUrl, unsubscribePageUrl } from "./links.js";
import type { SubscriberRole } from "./message.js";
import { hashToken, newId, newToken } from "./tokens.js";

export type Channel = "email" | "webhook";
export type SubscriptionStatus = "pending" | "active" | "unsubscribed";

/** How long a confirmation link stays valid. */
export const CONFIRM_TTL_SECONDS = 48 * 3600;

export interface SubscribeInput {
  chainId: number;
  account: string;
  channel: Channel;
  /** E-mail address or https/http webhook URL. */
  target: string;
  role?: SubscriberRole;
  /** Kinds to receive; empty or absent = all. */
  events?: readonly string[];
}

export interface Subscription {
  id: string;
  chainId: number;
  account: Address;
  role: SubscriberRole;
  channel: Channel;
  target: string;
  events: AlertKind[];
  status: SubscriptionStatus;
  createdAt: number;
  confirmedAt: number | null;
}

export interface SubscribeResult {
  subscription: Subscription;
  /** Webhook signing secret: returned once, here, and never again. */
  webhookSecret?: string;
  confirmExpiresAt: number;
}

export interface SubscriptionServices {
  db: Database;
  appUrl: string;
  /** Needed for e-mail subscriptions. */
  mail?: MailSettings;
  /** Which webhook destinations are allowed, and the delivery timeout (default from env). */
  webhooks?: WebhookPolicy;
  now?: () => number;
}

type SubscriptionRow = AlertSubscriptionsTable;

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$|^[^\s@<>"]+@localhost$/;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    chainId: row.chain_id,
    account: row.account as Address,
    role: row.role,
    channel: row.channel,
    target: row.target,
    events: JSON.parse(row.events) as AlertKind[],
    status: row.status,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
  };
}

async function validate(
  input: SubscribeInput,
  policy: WebhookPolicy,
): Promise<{ account: Address; events: AlertKind[]; role: SubscriberRole }> {
  if (!Number.isSafeInteger(input.chainId) || input.chainId <= 0) {
    throw new AlertError("INVALID_SUBSCRIPTION", "the chain id must be a positive integer");
  }
  if (!isAddress(input.account, { strict: false })) {
    throw new AlertError("INVALID_SUBSCRIPTION", `"${input.account}" is not an account address`);
  }
  if (input.channel === "email") {
    if (!EMAIL.test(input.target) || input.target.length > 254) {
      throw new AlertError("INVALID_SUBSCRIPTION", `"${input.target}" is not an e-mail address`);
    }
  } else if (input.channel === "webhook") {
    let url: URL;
    try {
      url = new URL(input.target);
    } catch {
      throw new AlertError("INVALID_SUBSCRIPTION", `"${input.target}" is not a URL`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new AlertError("INVALID_SUBSCRIPTION", "a webhook URL must start with https:// or http://");
    }
    if (url.username || url.password || input.target.length > 2048) {
      throw new AlertError(
        "INVALID_SUBSCRIPTION",
        "a webhook URL may not carry credentials or exceed 2,048 characters",
      );
    }
    await checkWebhookHost(url.hostname, policy);
  } else {
    throw new AlertError("INVALID_SUBSCRIPTION", "the channel must be email or webhook");
  }
  const role = input.role ?? "owner";
  if (role !== "owner" && role !== "guardian") {
    throw new AlertError("INVALID_SUBSCRIPTION", "the role must be owner or guardian");
  }
  const requested = input.events ?? [];
  const unknown = requested.filter((e) => !isAlertKind(e));
  if (unknown.length > 0) {
    throw new AlertError("INVALID_SUBSCRIPTION", `unknown event kinds: ${unknown.join(", ")}`, {
      details: `known kinds: ${ALERT_KINDS.join(", ")}`,
    });
  }
  const events = requested.length === 0 ? [...ALERT_KINDS] : ALERT_KINDS.filter((k) => requested.includes(k));
  return { account: getAddress(input.account), events, role };
}

/**
 * Creates a pending subscription and delivers its one-time confirmation link to the channel. When
 * the link cannot be delivered the subscription is not kept.
 */
export async function subscribe(services: SubscriptionServices, input: SubscribeInput): Promise<SubscribeResult> {
  const policy = services.webhooks ?? webhookPolicyFromEnv();
  const { account, events, role } = await validate(input, policy);
  if (input.channel === "email" && !services.mail) {
    throw new AlertError("NOT_CONFIGURED", "e-mail alerts are not available: the server has no SMTP settings");
  }
  const now = (services.now ?? nowSeconds)();
  const id = newId("sub");
  const confirmToken = newToken();
  const unsubscribeToken = newToken();
  const webhookSecret = input.channel === "webhook" ? `whsec_${newToken()}` : undefined;
  const confirmExpiresAt = now + CONFIRM_TTL_SECONDS;
  await services.db
    .insertInto("alert_subscriptions")
    .values({
      id,
      chain_id: input.chainId,
      account,
      role,
      channel: input.channel,
      target: input.target,
      events: JSON.stringify(events),
      webhook_secret: webhookSecret ?? null,
      confirm_token_hash: hashToken(confirmToken),
      confirm_expires_at: confirmExpiresAt,
      unsubscribe_token: unsubscribeToken,
      status: "pending",
      created_at: now,
      confirmed_at: null,
      unsubscribed_at: null,
    })
    .execute();
  const subscription = (await getSubscription(services.db, id))!;
  try {
    await deliverConfirmation(services, subscription, policy, {
      confirmToken,
      unsubscribeToken,
      webhookSecret,
      confirmExpiresAt,
    });
  } catch (error) {
    await services.db.deleteFrom("alert_subscriptions").where("id", "=", id).execute();
    throw error;
  }
  return { subscription, webhookSecret, confirmExpiresAt };
}

async function deliverConfirmation(
  services: SubscriptionServices,
  sub: Subscription,
  policy: WebhookPolicy,
  secrets: { confirmToken: string; unsubscribeToken: string; webhookSecret?: string; confirmExpiresAt: number },
): Promise<void> {
  const confirmUrl = confirmPageUrl(services.appUrl, secrets.confirmToken);
  const expires = new Date(secrets.confirmExpiresAt * 1000).toISOString();
  if (sub.channel === "email") {
    await sendEmail(services.mail!, {
      to: sub.target,
      subject: `[Custos] Confirm alerts for account ${sub.account}`,
      messageId: `<${sub.id}.confirm@custos>`,
      text: [
        `Someone (hopefully you) asked to receive Custos alerts for account ${sub.account} at this address, as ${sub.role === "owner" ? "its owner" : "a guardian"}.`,
        "",
        `Confirm within 48 hours (until ${expires}) by opening this one-time link:`,
        `  ${confirmUrl}`,
        "",
        "If you did not ask for this, ignore this message: nothing will be sent without confirmation.",
      ].join("\n"),
    });
    return;
  }
  await postWebhook(
    sub.target,
    secrets.webhookSecret!,
    {
      type: "subscription.confirm",
      id: `${sub.id}.confirm`,
      subscriptionId: sub.id,
      chainId: sub.chainId,
      account: sub.account,
      confirmToken: secrets.confirmToken,
      confirmUrl,
      confirmApi: { method: "POST", url: confirmApiUrl(services.appUrl), body: { token: secrets.confirmToken } },
      expiresAt: expires,
      unsubscribeUrl: unsubscribePageUrl(services.appUrl, secrets.unsubscribeToken),
    },
    `${sub.id}.confirm`,
    policy,
  );
}

/** Activates the subscription of a confirmation token. The token works once. */
export async function confirmSubscription(services: SubscriptionServices, token: string): Promise<Subscription> {
  const now = (services.now ?? nowSeconds)();
  const row = await services.db
    .selectFrom("alert_subscriptions")
    .selectAll()
    .where("confirm_token_hash", "=", hashToken(token.trim()))
    .executeTakeFirst();
  if (!row || row.status !== "pending") {
    throw new AlertError("UNKNOWN_TOKEN", "this confirmation link is unknown or was already used");
  }
  if (row.confirm_expires_at < now) {
    throw new AlertError("TOKEN_EXPIRED", "this confirmation link expired: subscribe again");
  }
  await services.db
    .updateTable("alert_subscriptions")
    .set({ status: "active", confirmed_at: now, confirm_token_hash: null })
    .where("id", "=", row.id)
    .execute();
  return (await getSubscription(services.db, row.id))!;
}

/** Stops a subscription with the token from its unsubscribe link. Idempotent. */
export async function unsubscribe(services: SubscriptionServices, token: string): Promise<Subscription> {
  const now = (services.now ?? nowSeconds)();
  const row = await services.db
    .selectFrom("alert_subscriptions")
    .selectAll()
    .where("unsubscribe_token", "=", token.trim())
    .executeTakeFirst();
  if (!row) throw new AlertError("UNKNOWN_TOKEN", "this unsubscribe link is unknown");
  if (row.status !== "unsubscribed") {
    await services.db
      .updateTable("alert_subscriptions")
      .set({ status: "unsubscribed", unsubscribed_at: now, confirm_token_hash: null })
      .where("id", "=", row.id)
      .execute();
  }
  return (await getSubscription(services.db, row.id))!;
}

async function subscriptionRow(db: Database, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom("alert_subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function getSubscription(db: Database, id: string): Promise<Subscription | undefined> {
  const row = await subscriptionRow(db, id);
  return row ? toSubscription(row) : undefined;
}

export async function listSubscriptions(
  db: Database,
  filter: { chainId?: number; account?: string } = {},
): Promise<Subscription[]> {
  const account =
    filter.account && isAddress(filter.account, { strict: false }) ? getAddress(filter.account) : filter.account;
  let query = db.selectFrom("alert_subscriptions").selectAll().orderBy("created_at").orderBy("id");
  if (filter.chainId !== undefined) query = query.where("chain_id", "=", filter.chainId);
  if (account) query = query.where("account", "=", account);
  return (await query.execute()).map(toSubscription);
}

/** Delivery details the watcher needs (includes the secret and unsubscribe token; server side only). */
export interface DeliveryTarget extends Subscription {
  webhookSecret: string | null;
  unsubscribeToken: string;
}

export async function deliveryTarget(db: Database, id: string): Promise<DeliveryTarget | undefined> {
  const row = await subscriptionRow(db, id);
  if (!row) return undefined;
  return { ...toSubscription(row), webhookSecret: row.webhook_secret, unsubscribeToken: row.unsubscribe_token };
}

/** Active subscriptions of an account that want `kind`. */
export async function activeSubscribers(
  db: Database,
  chainId: number,
  account: Address,
  kind: AlertKind,
): Promise<Subscription[]> {
  const rows = await db
    .selectFrom("alert_subscriptions")
    .selectAll()
    .where("chain_id", "=", chainId)
    .where("account", "=", getAddress(account))
    .where("status", "=", "active")
    .execute();
  return rows.map(toSubscription).filter((s) => s.events.includes(kind));
}

export { unsubscribeApiUrl, unsubscribePageUrl };
