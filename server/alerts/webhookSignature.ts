/**
 * Webhook signatures: `Custos-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` with
 * `Custos-Timestamp: <unix seconds>`. A receiver recomputes the HMAC over the raw body it received,
 * compares in constant time, and rejects timestamps further than the tolerance from its clock, so a
 * captured request cannot be replayed later. See server/alerts/README.md.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { AlertError } from "./errors.js";

export const TIMESTAMP_HEADER = "Custos-Timestamp";
export const SIGNATURE_HEADER = "Custos-Signature";
export const DELIVERY_HEADER = "Custos-Delivery";
/** Default replay window of {@link verifyWebhookSignature}: five minutes either side. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** Headers to send with `body` (the exact bytes of the request body). */
export function webhookSignatureHeaders(secret: string, body: string, now = Math.floor(Date.now() / 1000)) {
  return {
    [TIMESTAMP_HEADER]: String(now),
    [SIGNATURE_HEADER]: `v1=${signWebhook(secret, now, body)}`,
  };
}

/**
 * Verifies a received webhook. Throws AlertError BAD_SIGNATURE or STALE_TIMESTAMP. Accepts several
 * `v1=` entries separated by commas (for secret rotation).
 */
export function verifyWebhookSignature(input: {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  toleranceSeconds?: number;
  now?: number;
}): void {
  const { secret, body, timestamp, signature } = input;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (!timestamp || !/^\d+$/.test(timestamp))
    throw new AlertError("BAD_SIGNATURE", "the webhook has no valid timestamp");
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new AlertError("STALE_TIMESTAMP", `the webhook timestamp is more than ${tolerance} s away from now`);
  }
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body), "hex");
  const candidates = (signature ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .map((part) => Buffer.from(part.slice(3), "hex"));
  const ok = candidates.some((c) => c.length === expected.length && timingSafeEqual(c, expected));
  if (!ok) throw new AlertError("BAD_SIGNATURE", "the webhook signature does not match its body");
}
