/** A local HTTP webhook receiver that records every request; can be told to answer 503. */
import { createServer } from "node:http";

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown>;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedHook[];
  /** While true, every request is recorded and answered 503. */
  failing: boolean;
  close(): Promise<void>;
}

export async function startWebhookReceiver(port: number): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hooks/custos`,
    received: [],
    failing: false,
    close,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const status = receiver.failing ? 503 : 204;
      receiver.received.push({ headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown>, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  function close() {
    return new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
  return receiver;
}
