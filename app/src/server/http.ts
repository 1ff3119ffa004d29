import { CustosError } from "../../../custos/errors";

export function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

/** A library error becomes a 400 with its code and sentence; anything else a 500 without details. */
export function errorResponse(error: unknown): Response {
  if (error instanceof CustosError) return jsonError(400, error.code, error.shortMessage);
  console.error("approval API:", error);
  return jsonError(500, "INTERNAL", "The server could not handle this request.");
}

export async function readJson(request: Request, maxBytes = 16 * 1024): Promise<Record<string, unknown> | undefined> {
  const text = await request.text();
  if (text.length > maxBytes) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
