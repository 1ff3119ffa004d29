/**
 * The dApp's same-origin JSON-RPC proxies (/api/rpc, /api/bundler): the browser never learns the
 * upstream URL (which may carry an API key), and the proxy is no open relay. It forwards only the
 * allowed methods, batches of at most `maxBatch` calls, bodies of at most `maxBytes` (cut off while
 * reading: 413), and answers refused calls itself with JSON-RPC errors.
 */
import { readTextCapped } from "../http/body.js";
import { HttpError, jsonResponse } from "../http/errors.js";

export interface ProxyOptions {
  upstream: string;
  methods: ReadonlySet<string>;
  maxBytes?: number;
  maxBatch?: number;
  timeoutMs?: number;
}

export const RPC_BODY_LIMIT = 256 * 1024;
export const RPC_MAX_BATCH = 10;

type Id = string | number | null;
interface Call {
  jsonrpc?: unknown;
  id?: Id;
  method?: unknown;
  params?: unknown;
}

const rpcError = (id: Id, code: number, message: string) => ({ jsonrpc: "2.0", id, error: { code, message } });

function checkCall(call: unknown, methods: ReadonlySet<string>): { id: Id; refusal?: ReturnType<typeof rpcError> } {
  if (!call || typeof call !== "object" || Array.isArray(call)) {
    return { id: null, refusal: rpcError(null, -32600, "Invalid request: each call must be a JSON object.") };
  }
  const { id = null, method, params } = call as Call;
  if (typeof method !== "string") return { id, refusal: rpcError(id, -32600, "Invalid request: no method.") };
  if (params !== undefined && !Array.isArray(params) && typeof params !== "object") {
    return { id, refusal: rpcError(id, -32602, "Invalid params.") };
  }
  if (!methods.has(method)) {
    return { id, refusal: rpcError(id, -32601, `The method ${method} is not available through this dApp.`) };
  }
  return { id };
}

export async function proxyJsonRpc(request: Request, options: ProxyOptions): Promise<Response> {
  const maxBytes = options.maxBytes ?? RPC_BODY_LIMIT;
  const maxBatch = options.maxBatch ?? RPC_MAX_BATCH;
  let text: string;
  try {
    text = await readTextCapped(request, maxBytes);
  } catch (error) {
    if (error instanceof HttpError) return jsonResponse(rpcError(null, -32600, error.message), error.status);
    throw error;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return jsonResponse(rpcError(null, -32700, "Parse error: the body is not JSON."), 400);
  }
  const batch = Array.isArray(payload);
  const calls = batch ? (payload as unknown[]) : [payload];
  if (batch && (calls.length === 0 || calls.length > maxBatch)) {
    return jsonResponse(rpcError(null, -32600, `A batch holds 1 to ${maxBatch} calls.`), 400);
  }
  const checked = calls.map((c) => checkCall(c, options.methods));
  if (checked.some((c) => c.refusal)) {
    // Refuse the whole batch: forwarding its allowed part would answer out of order for no gain.
    const answers = checked.map(
      (c) => c.refusal ?? rpcError(c.id, -32600, "Not sent: another call of this batch was refused."),
    );
    return jsonResponse(batch ? answers : answers[0], batch ? 200 : 403);
  }
  try {
    const res = await fetch(options.upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: text,
      cache: "no-store",
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    return new Response(await res.text(), {
      status: res.status,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  } catch {
    return jsonResponse(rpcError(null, -32603, "The node behind this dApp is not reachable."), 502);
  }
}
