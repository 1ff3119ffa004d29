/** The two delivery channels: e-mail through any SMTP server (nodemailer), and signed webhooks. */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createTransport, type SendMailOptions } from "nodemailer";
import { AlertError } from "./errors.js";
import { guardedLookup, type WebhookPolicy } from "./webhookPolicy.js";
import { DELIVERY_HEADER, webhookSignatureHeaders } from "./webhookSignature.js";

/** What the watcher needs of a mail transport: nodemailer's `Transporter` satisfies it. */
export interface Mailer {
  sendMail(mail: SendMailOptions): Promise<unknown>;
}

export interface MailSettings {
  mailer: Mailer;
  /** The From header, e.g. `"Custos alerts" <alerts@example.org>` (env CUSTOS_MAIL_FROM). */
  from: string;
}

export const DEFAULT_FROM = '"Custos alerts" <alerts@custos.localhost>';

/** A nodemailer transport from env CUSTOS_SMTP_URL (e.g. smtp://user:pass@host:587), or undefined. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer | undefined {
  const url = env.CUSTOS_SMTP_URL;
  return url ? createTransport(url) : undefined;
}

export function mailFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.CUSTOS_MAIL_FROM ?? DEFAULT_FROM;
}

export interface EmailContent {
  to: string;
  subject: string;
  text: string;
  /** Stable Message-ID: a retried alert carries the same id, so mail systems can drop the copy. */
  messageId: string;
  /** RFC 8058 one-click unsubscribe URL (POST), shown by mail clients as an "Unsubscribe" button. */
  unsubscribePostUrl?: string;
}

export async function sendEmail(settings: MailSettings, mail: EmailContent): Promise<void> {
  const headers: Record<string, string> = {};
  if (mail.unsubscribePostUrl) headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  try {
    await settings.mailer.sendMail({
      from: settings.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
      headers,
      list: mail.unsubscribePostUrl ? { unsubscribe: { url: mail.unsubscribePostUrl, comment: "Unsubscribe" } } : {},
    });
  } catch (error) {
    throw new AlertError("DELIVERY_FAILED", `the e-mail to ${mail.to} could not be sent`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

/**
 * POSTs `payload` as JSON with the signature headers; any status outside 2xx is a failure. The whole
 * attempt (DNS, connection, answer) is bounded by `policy.timeoutMs`, and the destination address is
 * checked against the policy at connection time. Redirects are not followed.
 */
export async function postWebhook(
  url: string,
  secret: string,
  payload: unknown,
  deliveryId: string,
  policy: WebhookPolicy,
): Promise<void> {
  const body = JSON.stringify(payload);
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Custos-Alerts/1",
          [DELIVERY_HEADER]: deliveryId,
          ...webhookSignatureHeaders(secret, body),
        },
        lookup: guardedLookup(policy) as never,
        signal: AbortSignal.timeout(policy.timeoutMs),
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  }).catch((error: unknown) => {
    const { name, code } = error as { name?: string; code?: string };
    if (code === "EPRIVATE") throw new AlertError("WEBHOOK_NOT_ALLOWED", (error as Error).message);
    const timedOut = name === "AbortError" || name === "TimeoutError";
    throw new AlertError(
      "DELIVERY_FAILED",
      timedOut
        ? `the webhook ${url} did not answer within ${policy.timeoutMs} ms`
        : `the webhook ${url} could not be reached`,
      { details: error instanceof Error ? error.message : String(error), cause: error },
    );
  });
  if (status < 200 || status >= 300) {
    throw new AlertError("DELIVERY_FAILED", `the webhook ${url} answered ${status}`);
  }
}
