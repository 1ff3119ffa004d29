import { createServer, type Server } from "node:http";

export interface BundlerProxy {
  url: string;
  /** Calls by method, refused ones included. */
  calls: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * A JSON-RPC proxy on 127.0.0.1 in front of a real bundler that answers every `pimlico_*` method
 * with -32601 "method not found", as a bundler without Pimlico's extras does; the rest is forwarded.
 */
export async function startBundlerProxy({ port, upstream }: { port: number; upstream: string }): Promise<BundlerProxy> {
  const calls: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const request = JSON.parse(text) as { id: unknown; method: string };
      calls[request.method] = (calls[request.method] ?? 0) + 1;
      const reply = (status: number, body: string) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body);
      };
      if (request.method.startsWith("pimlico_")) {
        const error = { code: -32601, message: `the method ${request.method} does not exist/is not available` };
        reply(200, JSON.stringify({ jsonrpc: "2.0", id: request.id, error }));
        return;
      }
      fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: text })
        .then(async (upstreamRes) => reply(upstreamRes.status, await upstreamRes.text()))
        .catch((error: unknown) => reply(502, JSON.stringify({ error: String(error) })));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
