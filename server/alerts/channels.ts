/** The two delivery channels: e-mail through any SMTP server (nodemailer), and signed webhooks. */
import { createTransport, type SendMailOptions } from "nodemailer";
import { AlertError } from "./errors.js";
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

/** POSTs `payload` as JSON with the signature headers; any status outside 2xx is a failure. */
export async function postWebhook(
  url: string,
  secret: string,
  payload: unknown,
  deliveryId: string,
  timeoutMs = 10_000,
): Promise<void> {
  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Custos-Alerts/1",
        [DELIVERY_HEADER]: deliveryId,
        ...webhookSignatureHeaders(secret, body),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
  } catch (error) {
    throw new AlertError("DELIVERY_FAILED", `the webhook ${url} could not be reached`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300) {
    throw new AlertError("DELIVERY_FAILED", `the webhook ${url} answered ${response.status}`);
  }
}
