/**
 * Load of the approval API (loopback only, bounded): `clients` concurrent clients for `seconds`, each
 * posting a fresh approval request and a guardian's signed approval for it, against the same
 * server/approvals code the dApp mounts, on a real local chain. Reports throughput, p50 and p99 of
 * the POSTs, and writes lost (answered 201 but absent from the database afterwards; must be 0).
 *
 *   npx tsx bench/approvalLoad.ts [--seconds 60] [--clients 50] [--only sqlite|postgres|kill]
 *
 * Runs: SQLite with one instance; Postgres with two instances; Postgres with two instances of which
 * one is killed with SIGKILL a third of the way in (clients move to the other on a refused connection).
 * Ports: chain 8832, instances 3205-3206, Postgres 5452.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest, Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildApprovalRequest, encodeApprovalRequest, encodeSignedApproval, signApproval } from "../custos/index.js";
import { approvalApi } from "../server/approvals/api.js";
import { chainClient } from "../server/chain.js";
import { openDatabase, parseDatabaseUrl } from "../server/db/index.js";
import { limiter } from "../server/http/rateLimit.js";
import { LocalChain, type TestAccount } from "../test/alerts/helpers/localChain.js";
import { serve } from "../test/server/helpers/serve.js";
import { startPostgres } from "../test/server/helpers/postgres.js";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "..");
const CHAIN_PORT = 8832;
const APP_PORTS = [3205, 3206];
const PG_PORT = 5452;

/** Child mode: one app instance serving the approval API. */
async function serveInstance(port: number, database: string, rpcUrl: string, deployment: string) {
  const db = await openDatabase(parseDatabaseUrl(database));
  const api = approvalApi({
    db,
    client: chainClient(rpcUrl),
    deployment: () => JSON.parse(deployment) as { chainId: number; deploymentBlock: number },
    writes: limiter("bench", { points: 1_000_000, durationSeconds: 60 }, "Too many writes."),
  });
  await serve(port, [
    ["POST", /^\/api\/requests$/, (req) => api.createRequest(req)],
    ["POST", /^\/api\/requests\/([0-9a-f]+)\/approvals$/, (req, [id]) => api.postApproval(req, id!)],
  ]);
  console.log("ready");
}

function startInstance(port: number, database: string, chain: LocalChain): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      SELF,
      "--serve",
      String(port),
      "--database",
      database,
      "--rpc",
      chain.url,
      "--deployment",
      JSON.stringify({ chainId: chain.deployment.chainId, deploymentBlock: chain.deployment.deploymentBlock }),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_NO_WARNINGS: "1" } },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`instance on ${port} exited with ${code}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 200 });
function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || "{}") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

interface RunResult {
  name: string;
  writes: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
  lost: number;
  killedAt?: number;
}

async function run(
  name: string,
  chain: LocalChain,
  account: TestAccount,
  database: string,
  instances: number,
  options: { seconds: number; clients: number; kill: boolean },
): Promise<RunResult> {
  const children = await Promise.all(APP_PORTS.slice(0, instances).map((p) => startInstance(p, database, chain)));
  const alive = new Set(APP_PORTS.slice(0, instances));
  const guardian = account.guardians[0]!;
  const base = await buildApprovalRequest(chain.publicClient, {
    kind: "Recovery",
    account: account.address,
    newOwner: account.guardians[2]!.address,
  });
  const latencies: number[] = [];
  const acknowledged: { id: string; signer?: string }[] = [];
  let failed = 0;
  const started = Date.now();
  const end = started + options.seconds * 1000;
  let killedAt: number | undefined;
  if (options.kill) {
    setTimeout(
      () => {
        children[0]!.kill("SIGKILL");
        alive.delete(APP_PORTS[0]!);
        killedAt = (Date.now() - started) / 1000;
      },
      (options.seconds * 1000) / 3,
    );
  }
  /** POSTs to an instance; on a refused or reset connection, the next live one (the write was not acknowledged). */
  const send = async (client: number, route: string, body: unknown) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const ports = [...alive];
      const port = ports[(client + attempt) % ports.length]!;
      const t = performance.now();
      try {
        const res = await post(`http://127.0.0.1:${port}${route}`, body);
        latencies.push(performance.now() - t);
        return res;
      } catch {
        // connection refused or reset: the instance died; try another
      }
    }
    throw new Error("no instance answered");
  };
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      while (Date.now() < end) {
        const request = { ...base, newOwner: privateKeyToAccount(generatePrivateKey()).address };
        try {
          const created = await send(client, "/api/requests", { request: encodeApprovalRequest(request) });
          if (created.status !== 201) {
            failed++;
            continue;
          }
          const id = created.json.id as string;
          acknowledged.push({ id });
          const approval = encodeSignedApproval(await signApproval(guardian, request));
          const stored = await send(client, `/api/requests/${id}/approvals`, { approval });
          if (stored.status === 201) acknowledged.push({ id, signer: guardian.address.toLowerCase() });
          else failed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  const db = await openDatabase(parseDatabaseUrl(database));
  const requests = new Set((await db.selectFrom("approval_requests").select("id").execute()).map((r) => r.id));
  const approvals = new Set(
    (await db.selectFrom("approval_signatures").select(["request_id", "signer"]).execute()).map(
      (r) => `${r.request_id}:${r.signer}`,
    ),
  );
  await db.destroy();
  const lost = acknowledged.filter((a) =>
    a.signer ? !approvals.has(`${a.id}:${a.signer}`) : !requests.has(a.id),
  ).length;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { name, writes: acknowledged.length, seconds, p50: pct(50), p99: pct(99), failed, lost, killedAt };
}

async function main() {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "60" },
      clients: { type: "string", default: "50" },
      only: { type: "string" },
      serve: { type: "string" },
      database: { type: "string" },
      rpc: { type: "string" },
      deployment: { type: "string" },
    },
  });
  if (values.serve) return serveInstance(Number(values.serve), values.database!, values.rpc!, values.deployment!);
  const seconds = Math.min(300, Number(values.seconds));
  const clients = Math.min(200, Number(values.clients));
  const dir = mkdtempSync(path.join(tmpdir(), "custos-load-"));
  const chain = await LocalChain.start(CHAIN_PORT);
  const account = await chain.createAccount();
  const results: RunResult[] = [];
  const report = (r: RunResult) => {
    results.push(r);
    console.log(`${r.name}: ${r.writes} writes in ${r.seconds.toFixed(0)} s, lost ${r.lost}`);
  };
  try {
    const want = (name: string) => !values.only || values.only === name;
    if (want("sqlite")) {
      report(
        await run("SQLite, 1 instance", chain, account, path.join(dir, "load.sqlite"), 1, {
          seconds,
          clients,
          kill: false,
        }),
      );
    }
    if (want("postgres") || want("kill")) {
      const pg = await startPostgres(PG_PORT);
      try {
        if (want("postgres")) {
          const url = await pg.createDatabase("load");
          report(await run("Postgres, 2 instances", chain, account, url, 2, { seconds, clients, kill: false }));
        }
        if (want("kill")) {
          const url = await pg.createDatabase("load_kill");
          report(
            await run("Postgres, 2 instances, one killed (SIGKILL)", chain, account, url, 2, {
              seconds,
              clients,
              kill: true,
            }),
          );
        }
      } finally {
        await pg.stop();
      }
    }
  } finally {
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
    agent.destroy();
  }
  console.log(`\n${clients} clients, ${seconds} s each; a write is one POST answered 201 (request or approval)\n`);
  console.log("| run | writes | writes/s | p50 ms | p99 ms | not stored (4xx/5xx/no answer) | lost |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    const killed = r.killedAt ? ` (killed at ${r.killedAt.toFixed(0)} s)` : "";
    console.log(
      `| ${r.name}${killed} | ${r.writes} | ${(r.writes / r.seconds).toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.failed} | ${r.lost} |`,
    );
  }
  if (results.some((r) => r.lost > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`approvalLoad: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
