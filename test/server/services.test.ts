/**
 * The services for many users on one Postgres (R6), on a real chain: the approval API validates
 * requests against the chain and a client's retry that meets 409 counts as delivered; two alert
 * watchers share the database, one leads, and when it is killed (SIGKILL) the other takes over and
 * every alert is sent exactly once.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { buildApprovalRequest, encodeApprovalRequest, encodeSignedApproval, signApproval } from "../../custos/index.js";
import { approvalApi } from "../../server/approvals/api.js";
import { openDatabase, type Database } from "../../server/db/index.js";
import { leaseHolder } from "../../server/db/lease.js";
import { limiter } from "../../server/http/rateLimit.js";
import { confirmSubscription, subscribe } from "../../server/alerts/subscriptions.js";
import { postApproval } from "../../app/src/lib/postApproval.js";
import { LocalChain, type TestAccount } from "../alerts/helpers/localChain.js";
import { startWebhookReceiver, type WebhookReceiver } from "../alerts/helpers/webhookReceiver.js";
import { waitFor } from "../alerts/helpers/wait.js";
import { startPostgres, type TestPostgres } from "./helpers/postgres.js";
import { serve, type Served } from "./helpers/serve.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHAIN_PORT = 8831;
const PG_PORT = 5451;
const APP_PORT = 3202;
const HOOK_PORT = 8843;

let chain: LocalChain;
let postgres: TestPostgres;
let dbUrl: string;
let db: Database;
let account: TestAccount;

before(async () => {
  // Whatever started is stopped by after(), even when the other failed to start.
  const [chainStarted, postgresStarted] = await Promise.allSettled([
    LocalChain.start(CHAIN_PORT),
    startPostgres(PG_PORT),
  ]);
  if (chainStarted.status === "fulfilled") chain = chainStarted.value;
  if (postgresStarted.status === "fulfilled") postgres = postgresStarted.value;
  if (chainStarted.status === "rejected") throw chainStarted.reason;
  if (postgresStarted.status === "rejected") throw postgresStarted.reason;
  dbUrl = await postgres.createDatabase("services");
  db = await openDatabase({ engine: "postgres", url: dbUrl });
  account = await chain.createAccount();
});

after(async () => {
  await db?.destroy();
  await Promise.all([chain?.stop(), postgres?.stop()]);
});

describe("approval API on Postgres", () => {
  let app: Served;
  before(async () => {
    const api = approvalApi({
      db,
      client: chain.publicClient,
      deployment: () => chain.deployment,
      writes: limiter("writes", { points: 1000, durationSeconds: 60 }, "Too many writes."),
    });
    app = await serve(APP_PORT, [
      ["POST", /^\/api\/requests$/, (req) => api.createRequest(req)],
      ["GET", /^\/api\/requests\/([0-9a-f]+)$/, (req, [id]) => api.getRequest(req, id!)],
      ["POST", /^\/api\/requests\/([0-9a-f]+)\/approvals$/, (req, [id]) => api.postApproval(req, id!)],
    ]);
  });
  after(() => app?.close());

  const post = async (request: object) => {
    const res = await fetch(`${app.url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request: encodeApprovalRequest(request as never) }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { id?: string; error?: { code: string; message: string } },
    };
  };
  const newOwner = () => privateKeyToAccount(generatePrivateKey()).address;

  it("stores requests only for a deployed account, a future deadline at most 30 days ahead and the account's nonce", async () => {
    const good = await buildApprovalRequest(chain.publicClient, {
      kind: "Recovery",
      account: account.address,
      newOwner: newOwner(),
    });
    const day = 24n * 3600n;
    const cases: [string, object, string][] = [
      [
        "an undeployed account",
        { ...good, account: privateKeyToAccount(generatePrivateKey()).address },
        "NOT_DEPLOYED",
      ],
      ["a past deadline", { ...good, deadline: good.deadline - 30n * day }, "EXPIRED"],
      ["a deadline 31 days ahead", { ...good, deadline: good.deadline + 24n * day }, "DEADLINE_TOO_FAR"],
      ["a nonce beyond uint256", { ...good, nonce: 1n << 256n }, "OUT_OF_RANGE"],
      ["another nonce", { ...good, nonce: good.nonce + 1n }, "STALE_NONCE"],
      ["another epoch", { ...good, epoch: good.epoch + 1n }, "STALE_EPOCH"],
      ["another chain", { ...good, chainId: 1 }, "WRONG_CHAIN"],
    ];
    for (const [what, request, code] of cases) {
      const { status, body } = await post(request);
      assert.equal(status, 400, what);
      assert.ok(
        body.error?.code === code || (code === "OUT_OF_RANGE" && status === 400),
        `${what}: ${JSON.stringify(body)}`,
      );
    }
    const stored = await post(good);
    assert.equal(stored.status, 201);
    assert.equal(
      (await db.selectFrom("approval_requests").select("id").execute()).length,
      1,
      "a refused request was stored",
    );
  });

  it("answers a retried approval with 409, and the dApp's client treats it as delivered", async () => {
    const request = await buildApprovalRequest(chain.publicClient, {
      kind: "Recovery",
      account: account.address,
      newOwner: newOwner(),
    });
    const { body } = await post(request);
    const json = encodeSignedApproval(await signApproval(account.guardians[0]!, request));
    assert.equal(await postApproval(body.id!, json, app.url), "stored");
    const retry = await fetch(`${app.url}/api/requests/${body.id}/approvals`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ approval: json }),
    });
    assert.equal(retry.status, 409);
    assert.equal(((await retry.json()) as { error: { code: string } }).error.code, "DUPLICATE");
    assert.equal(await postApproval(body.id!, json, app.url), "already stored");
    const outsider = encodeSignedApproval(await signApproval(privateKeyToAccount(generatePrivateKey()), request));
    await assert.rejects(postApproval(body.id!, outsider, app.url), /not a guardian|guardian/i);
    const listed = (await (await fetch(`${app.url}/api/requests/${body.id}`)).json()) as { approvals: string[] };
    assert.equal(listed.approvals.length, 1);
  });
});

describe("two alert watchers on one Postgres", () => {
  let hooks: WebhookReceiver;
  const watchers: ChildProcess[] = [];
  const logs: string[][] = [];
  let dir: string;

  before(async () => {
    hooks = await startWebhookReceiver(HOOK_PORT);
    dir = mkdtempSync(path.join(tmpdir(), "custos-watchers-"));
  });
  after(async () => {
    for (const w of watchers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
    await hooks?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (name: string) => {
    const deploymentFile = path.join(dir, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(chain.deployment));
    // node itself, not the tsx wrapper: the pid in the lease is the process SIGKILL hits
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/watcher.ts",
        "--deployment",
        deploymentFile,
        "--rpc",
        chain.url,
        "--db",
        dbUrl,
        "--poll",
        "200",
        "--lease-ttl",
        "2000",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, CUSTOS_WEBHOOK_ALLOW_PRIVATE: "1", NODE_NO_WARNINGS: "1", WATCHER_NAME: name },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const log: string[] = [];
    child.stdout!.on("data", (d: Buffer) => log.push(d.toString()));
    child.stderr!.on("data", (d: Buffer) => log.push(d.toString()));
    watchers.push(child);
    logs.push(log);
    return { child, log };
  };
  const delivered = (tx: string) =>
    hooks.received.filter((h) => h.status === 204 && h.json.type === "account.locked" && h.json.transactionHash === tx);

  it("one leads; killed with SIGKILL, the other takes over; every alert is sent once", async () => {
    const services = { db, appUrl: "http://127.0.0.1:3000", webhooks: { allowPrivate: true, timeoutMs: 2_000 } };
    await subscribe(services, {
      chainId: chain.deployment.chainId,
      account: account.address,
      channel: "webhook",
      target: hooks.url,
    });
    const confirm = await waitFor("the confirmation", () =>
      hooks.received.find((h) => h.json.type === "subscription.confirm"),
    );
    await confirmSubscription(services, confirm.json.confirmToken as string);

    const a = start("A");
    const b = start("B");
    const lease = `alert-watcher:${chain.deployment.chainId}`;
    await waitFor("a leader", () => leaseHolder(db, lease), 60_000);
    await waitFor(
      "both watchers to run",
      () =>
        (a.log.join("").includes("Custos alert watcher") && b.log.join("").includes("Custos alert watcher")) ||
        undefined,
      60_000,
    );
    await waitFor(
      "one to stand by",
      () => (a.log.join("") + b.log.join("")).includes("standing by") || undefined,
      60_000,
    );
    const first = await chain.lock(account, account.guardians[0]!);
    await waitFor("the first alert", () => delivered(first).length > 0 || undefined, 30_000);

    const leader = (await leaseHolder(db, lease))!;
    const leaderPid = Number(leader.split(":")[1]);
    const victim = [a, b].find((w) => w.child.pid === leaderPid)!;
    assert.ok(victim, `the lease holder ${leader} is neither watcher`);
    const survivor = victim === a ? b : a;
    victim.child.kill("SIGKILL");
    await new Promise((r) => victim.child.once("exit", r));

    const second = await chain.lock(account, account.guardians[1]!);
    await waitFor("the alert after the takeover", () => delivered(second).length > 0 || undefined, 30_000);
    assert.match(survivor.log.join(""), /leading/);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(delivered(first).length, 1, "the first alert was sent twice");
    assert.equal(delivered(second).length, 1, "the second alert was sent twice");
    const ids = hooks.received.filter((h) => h.status === 204).map((h) => h.json.id);
    assert.equal(new Set(ids).size, ids.length, "a delivery was repeated");
    survivor.child.kill("SIGTERM");
  });
});
