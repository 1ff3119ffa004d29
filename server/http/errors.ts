/**
 * The HTTP error envelope of every Custos API: `{ "error": { "code", "message" } }`, never cached.
 * A library error (CustosError) is the caller's fault: 400 with its code and sentence; an HttpError
 * carries its own status; anything else is a 500 without details (logged on the server).
 */
import { CustosError } from "../../custos/index.js";

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

export function jsonError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return jsonResponse({ error: { code, message } }, status, headers);
}

/** Maps an error to its response; `statusOf` lets a feature give its library codes other statuses than 400. */
export function errorResponse(
  error: unknown,
  where: string,
  statusOf?: (code: string) => number | undefined,
): Response {
  if (error instanceof HttpError) return jsonError(error.status, error.code, error.message, error.headers);
  if (error instanceof CustosError) return jsonError(statusOf?.(error.code) ?? 400, error.code, error.shortMessage);
  console.error(`[${where}]`, error);
  return jsonError(500, "INTERNAL", "The server could not handle this request; try again later.");
}
