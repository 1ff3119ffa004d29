/**
 * Subscriptions: an owner or guardian asks for alerts of one account through one channel. A new
 * subscription is pending until the one-time link delivered to that channel is confirmed (only the
 * link token's SHA-256 is stored). Every message carries the subscription's unsubscribe link.
 */
import { getAddress, isAddress, type Address } from "viem";
import type { Database } from "../db.js";
import { postWebhook, sendEmail, type MailSettings } from "./channels.js";
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
  now?: () => number;
}

interface SubscriptionRow {
  id: string;
  chain_id: number;
  account: string;
  role: SubscriberRole;
  channel: Channel;
  target: string;
  events: string;
  webhook_secret: string | null;
  confirm_token_hash: string | null;
  confirm_expires_at: number;
  unsubscribe_token: string;
  status: SubscriptionStatus;
  created_at: number;
  confirmed_at: number | null;
}

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

function validate(input: SubscribeInput): { account: Address; events: AlertKind[]; role: SubscriberRole } {
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
  const { account, events, role } = validate(input);
  if (input.channel === "email" && !services.mail) {
    throw new AlertError("NOT_CONFIGURED", "e-mail alerts are not available: the server has no SMTP settings");
  }
  const now = (services.now ?? nowSeconds)();
  const id = newId("sub");
  const confirmToken = newToken();
  const unsubscribeToken = newToken();
  const webhookSecret = input.channel === "webhook" ? `whsec_${newToken()}` : undefined;
  const confirmExpiresAt = now + CONFIRM_TTL_SECONDS;
  services.db
    .prepare(
      `INSERT INTO alert_subscriptions (id, chain_id, account, role, channel, target, events, webhook_secret,
         confirm_token_hash, confirm_expires_at, unsubscribe_token, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    )
    .run(
      id,
      input.chainId,
      account,
      role,
      input.channel,
      input.target,
      JSON.stringify(events),
      webhookSecret ?? null,
      hashToken(confirmToken),
      confirmExpiresAt,
      unsubscribeToken,
      now,
    );
  const subscription = getSubscription(services.db, id)!;
  try {
    await deliverConfirmation(services, subscription, {
      confirmToken,
      unsubscribeToken,
      webhookSecret,
      confirmExpiresAt,
    });
  } catch (error) {
    services.db.prepare("DELETE FROM alert_subscriptions WHERE id = ?").run(id);
    throw error;
  }
  return { subscription, webhookSecret, confirmExpiresAt };
}

async function deliverConfirmation(
  services: SubscriptionServices,
  sub: Subscription,
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
  );
}

/** Activates the subscription of a confirmation token. The token works once. */
export function confirmSubscription(services: SubscriptionServices, token: string): Subscription {
  const now = (services.now ?? nowSeconds)();
  const row = services.db
    .prepare("SELECT * FROM alert_subscriptions WHERE confirm_token_hash = ?")
    .get(hashToken(token.trim())) as SubscriptionRow | undefined;
  if (!row || row.status !== "pending") {
    throw new AlertError("UNKNOWN_TOKEN", "this confirmation link is unknown or was already used");
  }
  if (row.confirm_expires_at < now) {
    throw new AlertError("TOKEN_EXPIRED", "this confirmation link expired: subscribe again");
  }
  services.db
    .prepare(
      "UPDATE alert_subscriptions SET status = 'active', confirmed_at = ?, confirm_token_hash = NULL WHERE id = ?",
    )
    .run(now, row.id);
  return getSubscription(services.db, row.id)!;
}

/** Stops a subscription with the token from its unsubscribe link. Idempotent. */
export function unsubscribe(services: SubscriptionServices, token: string): Subscription {
  const now = (services.now ?? nowSeconds)();
  const row = services.db.prepare("SELECT * FROM alert_subscriptions WHERE unsubscribe_token = ?").get(token.trim()) as
    SubscriptionRow | undefined;
  if (!row) throw new AlertError("UNKNOWN_TOKEN", "this unsubscribe link is unknown");
  if (row.status !== "unsubscribed") {
    services.db
      .prepare(
        "UPDATE alert_subscriptions SET status = 'unsubscribed', unsubscribed_at = ?, confirm_token_hash = NULL WHERE id = ?",
      )
      .run(now, row.id);
  }
  return getSubscription(services.db, row.id)!;
}

export function getSubscription(db: Database, id: string): Subscription | undefined {
  const row = db.prepare("SELECT * FROM alert_subscriptions WHERE id = ?").get(id) as SubscriptionRow | undefined;
  return row ? toSubscription(row) : undefined;
}

export function listSubscriptions(db: Database, filter: { chainId?: number; account?: string } = {}): Subscription[] {
  const rows = db
    .prepare("SELECT * FROM alert_subscriptions ORDER BY created_at, id")
    .all() as unknown as SubscriptionRow[];
  const account =
    filter.account && isAddress(filter.account, { strict: false }) ? getAddress(filter.account) : filter.account;
  return rows
    .filter(
      (r) => (filter.chainId === undefined || r.chain_id === filter.chainId) && (!account || r.account === account),
    )
    .map(toSubscription);
}

/** Delivery details the watcher needs (includes the secret and unsubscribe token; server side only). */
export interface DeliveryTarget extends Subscription {
  webhookSecret: string | null;
  unsubscribeToken: string;
}

export function deliveryTarget(db: Database, id: string): DeliveryTarget | undefined {
  const row = db.prepare("SELECT * FROM alert_subscriptions WHERE id = ?").get(id) as SubscriptionRow | undefined;
  if (!row) return undefined;
  return { ...toSubscription(row), webhookSecret: row.webhook_secret, unsubscribeToken: row.unsubscribe_token };
}

/** Active subscriptions of an account that want `kind`. */
export function activeSubscribers(db: Database, chainId: number, account: Address, kind: AlertKind): Subscription[] {
  const rows = db
    .prepare("SELECT * FROM alert_subscriptions WHERE chain_id = ? AND account = ? AND status = 'active'")
    .all(chainId, getAddress(account)) as unknown as SubscriptionRow[];
  return rows.map(toSubscription).filter((s) => s.events.includes(kind));
}

export { unsubscribeApiUrl, unsubscribePageUrl };
