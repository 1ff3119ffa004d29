/** A fixed-window limit on writes per client address: enough to stop a flood, no state beyond memory. */
const WINDOW_MS = 60_000;
const MAX_WRITES = Number(process.env.CUSTOS_WRITE_LIMIT ?? 60);
const hits = new Map<string, { start: number; count: number }>();

export function clientKey(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || "local";
}

export function allowWrite(request: Request): boolean {
  const key = clientKey(request);
  const now = Date.now();
  const entry = hits.get(key);
  if (!entry || now - entry.start > WINDOW_MS) {
    hits.set(key, { start: now, count: 1 });
    return true;
  }
  entry.count += 1;
  return entry.count <= MAX_WRITES;
}
