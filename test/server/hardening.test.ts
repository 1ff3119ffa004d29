/**
 * R6 hardening of the server's front door, one behaviour per test: rate limits keyed on the socket
 * address (spoofed X-Forwarded-For ignored unless a trusted proxy is configured) with counters that
 * are pruned; subscribe limited per client address and per target; webhook destinations restricted
 * after DNS resolution; deliveries concurrent with a timeout per destination.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { approvalApi } from "../../server/approvals/api.js";
import { chainClient } from "../../server/chain.js";
import { openDatabase, type Database } from "../../server/db/index.js";
import { clientAddress, PEER_HEADER, peerStamp, trustedProxiesFrom } from "../../server/http/clientAddress.js";
import { limiter } from "../../server/http/rateLimit.js";
import { handleSubscribe, type AlertApiServices } from "../../server/alerts/api.js";
import { OutboxDelivery, DEFAULT_RETRY } from "../../server/alerts/outbox.js";
import { checkWebhookHost, isPrivateAddress } from "../../server/alerts/webhookPolicy.js";
import { startWebhookReceiver, type WebhookReceiver } from "../alerts/helpers/webhookReceiver.js";
import { waitFor } from "../alerts/helpers/wait.js";
import { postFrom, serve, type Served } from "./helpers/serve.js";

const APP_PORT = 3201;
const HOOK_PORT = 8840;
const HANGING_PORT = 8841;
const ACCOUNT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const LOCAL = { allowPrivate: true, timeoutMs: 1_000 };

let db: Database;
before(async () => {
  db = await openDatabase({ engine: "sqlite", file: ":memory:" });
});
after(() => db?.destroy());

describe("rate limits on the socket address", () => {
  let app: Served;
  before(async () => {
    const api = approvalApi({
      db,
      client: chainClient("http://127.0.0.1:9"),
      deployment: () => ({ chainId: 31337, deploymentBlock: 0 }),
      writes: limiter("writes-test", { points: 5, durationSeconds: 60 }, "Too many writes from this address."),
    });
    app = await serve(APP_PORT, [["POST", /^\/api\/requests$/, (req) => api.createRequest(req)]]);
  });
  after(() => app?.close());

  it("ignores a spoofed X-Forwarded-For by default: 70 spoofed writes get the budget of one address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      const spoofed = { "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `198.51.100.${i}` };
      statuses.push((await postFrom("127.0.0.1", `${app.url}/api/requests`, "{}", spoofed)).status);
    }
    assert.equal(statuses.filter((s) => s !== 429).length, 5, "writes past the limit were accepted");
    const other = await postFrom("127.0.0.2", `${app.url}/api/requests`, "{}");
    assert.equal(other.status, 400, "another socket address has its own budget (and a malformed body)");
    const limited = await postFrom("127.0.0.1", `${app.url}/api/requests`, "{}");
    assert.match(
      String((limited.json as { error: { message: string } }).error.message),
      /Too many writes.*Try again in \d+ s/,
    );
  });

  it("reads X-Forwarded-For only from a configured trusted proxy, right-most untrusted hop first", () => {
    const stamped = (peer: string, xff?: string) =>
      new Request("http://x/", {
        headers: { [PEER_HEADER]: peerStamp(peer), ...(xff ? { "x-forwarded-for": xff } : {}) },
      });
    const none = trustedProxiesFrom(undefined);
    const proxy = trustedProxiesFrom("10.0.0.0/8, 127.0.0.1");
    assert.equal(clientAddress(stamped("127.0.0.1", "1.2.3.4"), none), "127.0.0.1");
    assert.equal(clientAddress(stamped("127.0.0.1", "6.6.6.6, 1.2.3.4, 10.1.1.1"), proxy), "1.2.3.4");
    assert.equal(
      clientAddress(stamped("192.0.2.7", "1.2.3.4"), proxy),
      "192.0.2.7",
      "an untrusted peer's header is ignored",
    );
    const forged = new Request("http://x/", { headers: { [PEER_HEADER]: "not-the-token 9.9.9.9" } });
    assert.equal(clientAddress(forged, none), "unidentified", "a forged stamp is not believed");
    assert.throws(() => trustedProxiesFrom("example.org"), /not an IP address or CIDR/);
  });

  it("prunes counters: an address's window is dropped when it ends", async () => {
    const rl = new RateLimiterMemory({ keyPrefix: "prune", points: 1, duration: 1 });
    for (let i = 0; i < 500; i++) await rl.consume(`10.0.${i >> 8}.${i & 255}`);
    const storage = (rl as unknown as { _memoryStorage: { _storage: Map<string, unknown> } })._memoryStorage._storage;
    assert.equal(storage.size, 500);
    await waitFor("the windows to end", () => storage.size === 0, 5_000);
  });
});

describe("alert subscriptions", () => {
  let hooks: WebhookReceiver;
  before(async () => {
    hooks = await startWebhookReceiver(HOOK_PORT);
  });
  after(() => hooks?.close());

  const services = (): AlertApiServices => ({
    db,
    appUrl: "http://127.0.0.1:3000",
    webhooks: LOCAL,
    perClient: limiter(
      "client-" + Math.random(),
      { points: 3, durationSeconds: 3600 },
      "Too many subscriptions from this address.",
    ),
    perTarget: limiter(
      "target-" + Math.random(),
      { points: 2, durationSeconds: 3600 },
      "Too many confirmation messages to this destination.",
    ),
  });
  const subscribeFrom = (svc: AlertApiServices, peer: string, target: string) =>
    handleSubscribe(
      new Request("http://x/api/alerts/subscribe", {
        method: "POST",
        headers: { "content-type": "application/json", [PEER_HEADER]: peerStamp(peer) },
        body: JSON.stringify({ account: ACCOUNT, channel: "webhook", target }),
      }),
      31337,
      svc,
    );

  it("are limited per target: a victim gets at most 2 confirmations an hour, whoever asks", async () => {
    const svc = services();
    const statuses = [];
    for (const peer of ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]) {
      statuses.push((await subscribeFrom(svc, peer, `${hooks.url}?victim`)).status);
    }
    assert.deepEqual(statuses, [202, 202, 429, 429]);
    assert.equal(hooks.received.filter((h) => h.json.type === "subscription.confirm").length, 2);
  });

  it("are limited per client address, whatever the targets", async () => {
    const svc = services();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await subscribeFrom(svc, "127.0.0.9", `${hooks.url}?t=${i}`)).status);
    assert.deepEqual(statuses, [202, 202, 202, 429, 429]);
    assert.equal((await subscribeFrom(svc, "127.0.0.10", `${hooks.url}?t=9`)).status, 202);
  });

  it("refuse webhooks to loopback, private and link-local addresses after DNS resolution unless allowed", async () => {
    const strict = { allowPrivate: false, timeoutMs: 1_000 };
    for (const host of [
      "localhost",
      "127.0.0.1",
      "[::1]",
      "10.1.2.3",
      "192.168.0.1",
      "169.254.169.254",
      "[::ffff:127.0.0.1]",
    ]) {
      await assert.rejects(checkWebhookHost(host, strict), { code: "WEBHOOK_NOT_ALLOWED" }, host);
    }
    assert.deepEqual(await checkWebhookHost("93.184.216.34", strict), ["93.184.216.34"]);
    assert.equal(isPrivateAddress("fd00::1"), true);
    assert.equal(isPrivateAddress("2606:4700::1111"), false);
    const res = await handleSubscribe(
      new Request("http://x/", {
        method: "POST",
        headers: { "content-type": "application/json", [PEER_HEADER]: peerStamp("127.0.0.20") },
        body: JSON.stringify({ account: ACCOUNT, channel: "webhook", target: `http://localhost:${HOOK_PORT}/probe` }),
      }),
      31337,
      { ...services(), webhooks: strict },
    );
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "WEBHOOK_NOT_ALLOWED");
    assert.ok(
      !hooks.received.some(
        (h) => h.json.type === "subscription.confirm" && String(h.headers.host).startsWith("localhost"),
      ),
    );
  });
});

describe("webhook deliveries", () => {
  let fast: WebhookReceiver;
  let hanging: Server;
  let hangingHits = 0;
  before(async () => {
    fast = await startWebhookReceiver(HOOK_PORT + 2);
    hanging = createServer(() => {
      hangingHits++; // never answers
    });
    await new Promise<void>((resolve) => hanging.listen(HANGING_PORT, "127.0.0.1", resolve));
  });
  after(async () => {
    hanging.closeAllConnections();
    await new Promise((r) => hanging.close(r));
    await fast?.close();
  });

  it("run concurrently with a timeout per destination: a hanging receiver delays no one", async () => {
    const now = Date.now();
    const sub = (id: string, target: string) => ({
      id,
      chain_id: 31337,
      account: ACCOUNT,
      role: "owner" as const,
      channel: "webhook" as const,
      target,
      events: JSON.stringify(["account.locked"]),
      webhook_secret: "whsec_test",
      confirm_token_hash: null,
      confirm_expires_at: 0,
      unsubscribe_token: `unsub-${id}`,
      status: "active" as const,
      created_at: 0,
      confirmed_at: 0,
      unsubscribed_at: null,
    });
    await db
      .insertInto("alert_subscriptions")
      .values([sub("sub_hang", `http://127.0.0.1:${HANGING_PORT}/h`), sub("sub_fast", fast.url)])
      .execute();
    const event = await db
      .insertInto("alert_events")
      .values({
        event_key: "k1",
        chain_id: 31337,
        account: ACCOUNT,
        kind: "account.locked",
        tx_hash: `0x${"11".repeat(32)}`,
        block_number: 1,
        block_hash: `0x${"22".repeat(32)}`,
        log_index: 0,
        block_time: 1_700_000_000,
        data: JSON.stringify({ guardian: ACCOUNT, until: 1_700_000_600 }),
        seen_at: 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // the hanging destination's alert is queued first
    for (const id of ["sub_hang", "sub_fast"]) {
      await db
        .insertInto("alert_outbox")
        .values({
          event_id: Number(event.id),
          subscription_id: id,
          status: "pending",
          next_attempt_at: now,
          last_error: null,
          sent_at: null,
        })
        .execute();
    }
    const delivery = new OutboxDelivery({ db, appUrl: "http://127.0.0.1:3000", retry: DEFAULT_RETRY, webhooks: LOCAL });
    const started = Date.now();
    await delivery.pump();
    assert.ok(Date.now() - started < 500, "pump waited for a delivery");
    await waitFor("the fast receiver's alert", () => fast.received.length === 1 || undefined, 900);
    assert.ok(Date.now() - started < 900, "the fast receiver waited for the hanging one");
    await delivery.drain();
    assert.ok(Date.now() - started < 2_500, "the hanging receiver was not cut off at its timeout");
    assert.equal(hangingHits, 1);
    const rows = await db
      .selectFrom("alert_outbox")
      .select(["subscription_id", "status", "last_error"])
      .orderBy("subscription_id")
      .execute();
    assert.deepEqual(
      rows.map((r) => `${r.subscription_id}:${r.status}`),
      ["sub_fast:sent", "sub_hang:pending"],
    );
    assert.match(rows[1]!.last_error ?? "", /did not answer within 1000 ms/);
  });
});
