/**
 * Serves framework-neutral handlers (Web Request → Response, as server/ exports them) on a real
 * loopback HTTP server, stamping each request with its socket address exactly as server/appServer.ts
 * does, so tests see the same client addresses and streamed bodies as the dApp's routes.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { Readable } from "node:stream";
import { PEER_HEADER, peerStamp } from "../../../server/http/clientAddress.js";

export type Route = (request: Request, params: string[]) => Promise<Response> | Response;

export interface Served {
  url: string;
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === PEER_HEADER) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  headers.set(PEER_HEADER, peerStamp(req.socket.remoteAddress));
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit);
}

/** `routes`: [method, path pattern with :params] → handler. */
export async function serve(port: number, routes: [string, RegExp, Route][]): Promise<Served> {
  const origin = `http://127.0.0.1:${port}`;
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", origin).pathname;
    const route = routes.find(([method, pattern]) => method === req.method && pattern.test(path));
    let response: Response;
    try {
      response = route
        ? await route[2](toRequest(req, origin), pattern(route[1], path))
        : new Response("", { status: 404 });
    } catch (error) {
      response = new Response(String(error), { status: 500 });
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
    // An unread request body (refused early) is discarded, not buffered.
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pattern(re: RegExp, path: string): string[] {
  return (re.exec(path) ?? []).slice(1);
}

/** A POST from a chosen local address (127.0.0.x), which fetch cannot choose. */
export function postFrom(
  localAddress: string,
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", localAddress, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
