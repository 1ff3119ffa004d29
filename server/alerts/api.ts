/**
 * HTTP handlers of the alert API (framework-neutral: Web Request in, Response out), mounted by the
 * dApp's Next.js route handlers under /api/alerts. They hold no secret beyond the database.
 */
import { postgresPool } from "../db/index.js";
import { sharedDatabase } from "../db/shared.js";
import { readTextCapped } from "../http/body.js";
import { clientAddress } from "../http/clientAddress.js";
import { errorResponse } from "../http/errors.js";
import { limiter, pointsFromEnv, type Limiter } from "../http/rateLimit.js";
import { mailerFromEnv, mailFromEnv } from "./channels.js";
import { AlertError, type AlertErrorCode } from "./errors.js";
import { appUrlFromEnv } from "./links.js";
import {
  confirmSubscription,
  subscribe,
  unsubscribe,
  type Channel,
  type Subscription,
  type SubscriptionServices,
} from "./subscriptions.js";
import { webhookPolicyFromEnv } from "./webhookPolicy.js";

export const ALERT_BODY_LIMIT = 8 * 1024;

/** The API's services plus its limits: subscribe attempts per client address and per target (mailbox or URL). */
export interface AlertApiServices extends SubscriptionServices {
  perClient: Limiter;
  perTarget: Limiter;
  clientKey?: (request: Request) => string;
}

let shared: Promise<AlertApiServices> | undefined;

/**
 * The process-wide services from the environment: CUSTOS_DATABASE_URL, CUSTOS_SMTP_URL,
 * CUSTOS_MAIL_FROM, CUSTOS_APP_URL, CUSTOS_WEBHOOK_ALLOW_PRIVATE, and the subscribe limits
 * CUSTOS_SUBSCRIBE_LIMIT_PER_CLIENT (default 10 an hour) and CUSTOS_SUBSCRIBE_LIMIT_PER_TARGET
 * (default 3 an hour).
 */
export function alertServicesFromEnv(): Promise<AlertApiServices> {
  shared ??= sharedDatabase().then((db) => {
    const mailer = mailerFromEnv();
    const pool = postgresPool(db);
    const store = pool ? { pool } : undefined;
    return {
      db,
      appUrl: appUrlFromEnv(),
      mail: mailer ? { mailer, from: mailFromEnv() } : undefined,
      webhooks: webhookPolicyFromEnv(),
      perClient: limiter(
        "subscribe-client",
        { points: pointsFromEnv("CUSTOS_SUBSCRIBE_LIMIT_PER_CLIENT", 10), durationSeconds: 3600 },
        "Too many subscriptions from this address.",
        store,
      ),
      perTarget: limiter(
        "subscribe-target",
        { points: pointsFromEnv("CUSTOS_SUBSCRIBE_LIMIT_PER_TARGET", 3), durationSeconds: 3600 },
        "Too many confirmation messages to this destination.",
        store,
      ),
    };
  });
  shared.catch(() => (shared = undefined));
  return shared;
}

const STATUS: Record<AlertErrorCode, number> = {
  INVALID_SUBSCRIPTION: 400,
  UNKNOWN_TOKEN: 404,
  TOKEN_EXPIRED: 410,
  DELIVERY_FAILED: 502,
  BAD_SIGNATURE: 400,
  STALE_TIMESTAMP: 400,
  NOT_CONFIGURED: 503,
  WEBHOOK_NOT_ALLOWED: 400,
  RATE_LIMITED: 429,
};

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

function fail(error: unknown): Response {
  return errorResponse(error, "alerts api", (code) => STATUS[code as AlertErrorCode]);
}

function publicView(s: Subscription) {
  return {
    id: s.id,
    chainId: s.chainId,
    account: s.account,
    role: s.role,
    channel: s.channel,
    target: s.target,
    events: s.events,
    status: s.status,
  };
}

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type") ?? "";
  const text = await readTextCapped(request, ALERT_BODY_LIMIT);
  if (type.includes("application/json")) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== "object" || Array.isArray(body))
      throw new AlertError("INVALID_SUBSCRIPTION", "the request body is not a JSON object");
    return body as Record<string, unknown>;
  }
  if (type.includes("form")) return Object.fromEntries(new URLSearchParams(text).entries());
  return {};
}

const normalTarget = (channel: string, target: string) => (channel === "email" ? target.toLowerCase() : target);

/** POST { account, channel: "email"|"webhook", target, role?, events? } → 202, pending; the secret once. */
export async function handleSubscribe(request: Request, chainId: number, given?: AlertApiServices) {
  try {
    const services = given ?? (await alertServicesFromEnv());
    await services.perClient.consume((services.clientKey ?? clientAddress)(request));
    const body = await readBody(request);
    const events = Array.isArray(body.events)
      ? body.events.map(String)
      : typeof body.events === "string" && body.events
        ? body.events.split(",")
        : [];
    const channel = String(body.channel ?? "") as Channel;
    const target = String(body.target ?? "").trim();
    if (target) await services.perTarget.consume(`${channel}:${normalTarget(channel, target)}`);
    const result = await subscribe(services, {
      chainId,
      account: String(body.account ?? ""),
      channel,
      target,
      role: body.role === "guardian" ? "guardian" : "owner",
      events,
    });
    return json(
      {
        subscription: publicView(result.subscription),
        webhookSecret: result.webhookSecret,
        confirmExpiresAt: result.confirmExpiresAt,
      },
      202,
    );
  } catch (error) {
    return fail(error);
  }
}

function tokenFrom(request: Request, body: Record<string, unknown>): string {
  const token = new URL(request.url).searchParams.get("token") ?? body.token;
  if (typeof token !== "string" || token.length === 0)
    throw new AlertError("UNKNOWN_TOKEN", "the link carries no token");
  return token;
}

/** POST { token } (or ?token=) → the subscription, now active. */
export async function handleConfirm(request: Request, given?: SubscriptionServices) {
  try {
    const services = given ?? (await alertServicesFromEnv());
    return json({
      subscription: publicView(await confirmSubscription(services, tokenFrom(request, await readBody(request)))),
    });
  } catch (error) {
    return fail(error);
  }
}

/** POST ?token= (RFC 8058 one-click, form body "List-Unsubscribe=One-Click") or { token } → stopped. */
export async function handleUnsubscribe(request: Request, given?: SubscriptionServices) {
  try {
    const services = given ?? (await alertServicesFromEnv());
    return json({
      subscription: publicView(await unsubscribe(services, tokenFrom(request, await readBody(request)))),
    });
  } catch (error) {
    return fail(error);
  }
}
