/**
 * HTTP handlers of the alert API (framework-neutral: Web Request in, Response out), mounted by the
 * dApp's Next.js route handlers under /api/alerts. They hold no secret beyond the database.
 */
import type { Database } from "../db.js";
import { openDatabase } from "../db.js";
import { mailerFromEnv, mailFromEnv } from "./channels.js";
import { AlertError, type AlertErrorCode } from "./errors.js";
import { appUrlFromEnv } from "./links.js";
import { migrateAlerts } from "./schema.js";
import {
  confirmSubscription,
  subscribe,
  unsubscribe,
  type Channel,
  type Subscription,
  type SubscriptionServices,
} from "./subscriptions.js";

let shared: SubscriptionServices | undefined;

/** The process-wide services from the environment (CUSTOS_DB, CUSTOS_SMTP_URL, CUSTOS_MAIL_FROM, CUSTOS_APP_URL). */
export function alertServicesFromEnv(): SubscriptionServices {
  if (!shared) {
    const db: Database = openDatabase();
    migrateAlerts(db);
    const mailer = mailerFromEnv();
    shared = { db, appUrl: appUrlFromEnv(), mail: mailer ? { mailer, from: mailFromEnv() } : undefined };
  }
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
};

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

function fail(error: unknown): Response {
  if (error instanceof AlertError)
    return json({ error: { code: error.code, message: error.shortMessage } }, STATUS[error.code]);
  console.error("[alerts api]", error);
  return json({ error: { code: "INTERNAL", message: "the alert service failed; try again later" } }, 500);
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
  if (type.includes("application/json")) {
    const body: unknown = await request.json().catch(() => undefined);
    if (!body || typeof body !== "object")
      throw new AlertError("INVALID_SUBSCRIPTION", "the request body is not a JSON object");
    return body as Record<string, unknown>;
  }
  if (type.includes("form")) return Object.fromEntries((await request.formData()).entries());
  return {};
}

/** POST { account, channel: "email"|"webhook", target, role?, events? } → 202, pending; the secret once. */
export async function handleSubscribe(request: Request, chainId: number, services = alertServicesFromEnv()) {
  try {
    const body = await readBody(request);
    const events = Array.isArray(body.events)
      ? body.events.map(String)
      : typeof body.events === "string" && body.events
        ? body.events.split(",")
        : [];
    const result = await subscribe(services, {
      chainId,
      account: String(body.account ?? ""),
      channel: String(body.channel ?? "") as Channel,
      target: String(body.target ?? "").trim(),
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
export async function handleConfirm(request: Request, services = alertServicesFromEnv()) {
  try {
    return json({
      subscription: publicView(confirmSubscription(services, tokenFrom(request, await readBody(request)))),
    });
  } catch (error) {
    return fail(error);
  }
}

/** POST ?token= (RFC 8058 one-click, form body "List-Unsubscribe=One-Click") or { token } → stopped. */
export async function handleUnsubscribe(request: Request, services = alertServicesFromEnv()) {
  try {
    return json({ subscription: publicView(unsubscribe(services, tokenFrom(request, await readBody(request)))) });
  } catch (error) {
    return fail(error);
  }
}
