import { createServer, type IncomingMessage, type Server } from "node:http";

/** How a provider refuses a getLogs range: the JSON-RPC error it answers with. */
export interface Refusal {
  code: number;
  /** `{cap}` is replaced by the cap, `{from}`/`{to}` by a range that would work (hex). */
  message: string;
}

/** Messages as public providers send them (see custos/state/logs.ts for the ones the reader knows). */
export const REFUSALS = {
  /** BSC/Base-style public nodes: the cap as a number. */
  maxRange: { code: -32000, message: "exceed maximum block range: {cap}" },
  /** Alchemy-style: a range that would work, in brackets. */
  hint: {
    code: -32602,
    message:
      "Log response size exceeded. You can make eth_getLogs requests with up to a 500 block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [{from}, {to}]",
  },
  /** Ankr-style: no number at all, the reader halves. */
  plain: { code: -32062, message: "block range is too wide" },
} satisfies Record<string, Refusal>;

export interface RpcProxyStats {
  /** JSON-RPC calls forwarded or refused, by method. */
  calls: Record<string, number>;
  /** eth_getLogs calls the cap refused. */
  refused: number;
  /** Blocks covered by the eth_getLogs calls that were answered. */
  logBlocks: bigint;
}

export interface RpcProxy {
  url: string;
  stats: RpcProxyStats;
  reset(): void;
  /** Total calls since the last reset. */
  total(): number;
  stop(): Promise<void>;
}

interface RpcRequest {
  jsonrpc: "2.0";
  id: number | string | null;
  method: string;
  params?: unknown[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * A JSON-RPC proxy on 127.0.0.1 in front of `upstream` that behaves like a public provider: an
 * eth_getLogs wider than `cap` blocks (or with a tag that makes it unbounded) is refused with
 * `refusal`; every call is counted by method.
 */
export async function startRpcProxy({
  port,
  upstream,
  cap = 1_000n,
  refusal = REFUSALS.maxRange,
}: {
  port: number;
  upstream: string;
  cap?: bigint;
  refusal?: Refusal;
}): Promise<RpcProxy> {
  const stats: RpcProxyStats = { calls: {}, refused: 0, logBlocks: 0n };
  let head = 0n;

  const blockOf = async (tag: unknown): Promise<bigint> => {
    if (typeof tag === "string" && tag.startsWith("0x")) return BigInt(tag);
    if (tag === "earliest") return 0n;
    const res = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    });
    head = BigInt(((await res.json()) as { result: string }).result);
    return head;
  };

  async function handle(request: RpcRequest): Promise<unknown> {
    stats.calls[request.method] = (stats.calls[request.method] ?? 0) + 1;
    let span: bigint | undefined;
    if (request.method === "eth_getLogs") {
      const filter = (request.params?.[0] ?? {}) as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown };
      if (filter.blockHash === undefined) {
        const from = await blockOf(filter.fromBlock ?? "latest");
        const to = await blockOf(filter.toBlock ?? "latest");
        span = to - from + 1n;
        if (span > cap) {
          stats.refused += 1;
          const hex = (n: bigint) => `0x${n.toString(16)}`;
          const message = refusal.message
            .replace("{cap}", String(cap))
            .replace("{from}", hex(from))
            .replace("{to}", hex(from + cap - 1n));
          return { jsonrpc: "2.0", id: request.id, error: { code: refusal.code, message } };
        }
      }
    }
    const res = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    const body = (await res.json()) as { error?: unknown };
    if (span !== undefined && body.error === undefined) stats.logBlocks += span;
    return body;
  }

  const server: Server = createServer((req, res) => {
    readBody(req)
      .then(async (text) => {
        const parsed = JSON.parse(text) as RpcRequest | RpcRequest[];
        const answer = Array.isArray(parsed) ? await Promise.all(parsed.map(handle)) : await handle(parsed);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      })
      .catch((error: unknown) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    reset() {
      stats.calls = {};
      stats.refused = 0;
      stats.logBlocks = 0n;
    },
    total: () => Object.values(stats.calls).reduce((a, b) => a + b, 0),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
