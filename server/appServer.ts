/**
 * Serves the built dApp (Next.js, `next build` output) behind a plain Node HTTP server that stamps each
 * request with the socket's address (server/http/clientAddress.ts), so rate limits key on who is
 * connected and not on a header the client wrote. Same flags as `next start`:
 *
 *   tsx server/appServer.ts [app dir, default app] [-p <port>] [-H <host>]
 *
 * Env as for the API routes (CUSTOS_DATABASE_URL, CUSTOS_RPC_URL, CUSTOS_BUNDLER_URL, CUSTOS_NETWORK,
 * CUSTOS_TRUSTED_PROXIES, …). Slow clients are cut off: headers within 10 s, a whole request within 30 s.
 */
import { createServer } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";
import { markStampingServer, PEER_HEADER, peerStamp } from "./http/clientAddress.js";

async function main() {
  const { values, positionals } = parseArgs({
    options: {
      port: { type: "string", short: "p", default: process.env.PORT ?? "3000" },
      hostname: { type: "string", short: "H", default: "127.0.0.1" },
    },
    allowPositionals: true,
  });
  const dir = path.resolve(positionals[0] ?? "app");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`-p: "${values.port}" is not a port`);
  markStampingServer(); // before Next loads: its startup hook then knows requests are stamped
  const app = next({ dev: false, dir, hostname: values.hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    req.headers[PEER_HEADER] = peerStamp(req.socket.remoteAddress);
    void handle(req, res);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.listen(port, values.hostname, () => {
    console.log(`Custos dApp on http://${values.hostname}:${port} (${dir})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`app server: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
