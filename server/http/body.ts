/**
 * Request bodies read with a byte cap enforced while reading: a declared Content-Length over the cap
 * is refused before a byte is read, and a body streamed without one is cut off at the first chunk
 * past the cap (413), so a 50 MB POST never sits in memory.
 */
import { HttpError } from "./errors.js";

export const JSON_BODY_LIMIT = 16 * 1024;

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "TOO_LARGE", `The request body is larger than ${maxBytes} bytes.`);
}

export async function readBodyCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

export async function readTextCapped(request: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBodyCapped(request, maxBytes));
}

/** A JSON object body (≤ maxBytes), or an HttpError 400 MALFORMED / 413 TOO_LARGE. */
export async function readJsonObject(request: Request, maxBytes = JSON_BODY_LIMIT): Promise<Record<string, unknown>> {
  const text = await readTextCapped(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, "MALFORMED", "The request body is not JSON.");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new HttpError(400, "MALFORMED", "The request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}
