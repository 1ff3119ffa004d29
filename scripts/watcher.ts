/**
 * Runs the alert watcher alone against any configured network:
 *   npx tsx scripts/watcher.ts --network <name> [--rpc <url>] [--db <file | postgres://…>] [--poll <ms>]
 *     [--confirmations <n>] [--lease-ttl <ms>]
 * The network's addresses come from deployments/<name>.json (or --deployment <file> of that form). RPC: --rpc, else env CUSTOS_RPC_URL,
 * else http://127.0.0.1:8545 for "localhost". Database: --db, else env CUSTOS_DATABASE_URL, else
 * .data/custos.sqlite. Several watchers may share one database: one leads (a lease renewed every
 * tick), the others stand by and take over within --lease-ttl of the leader's death. E-mail: env
 * CUSTOS_SMTP_URL and CUSTOS_MAIL_FROM; links: env CUSTOS_APP_URL. Ctrl-C stops it.
 */
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { loadDeployment, type CustosDeployment } from "../custos/node.js";
import { startAlertService } from "../server/alerts/service.js";
import { databaseConfigFromEnv, describeDatabase, parseDatabaseUrl } from "../server/db/index.js";

const USAGE =
  "usage: tsx scripts/watcher.ts (--network <name> | --deployment <file>) [--rpc <url>] [--db <file | postgres://…>] " +
  "[--poll <ms>] [--confirmations <n>] [--lease-ttl <ms>]";

function main() {
  const { values } = parseArgs({
    options: {
      network: { type: "string", default: process.env.CUSTOS_NETWORK ?? "localhost" },
      deployment: { type: "string" },
      rpc: { type: "string" },
      db: { type: "string" },
      poll: { type: "string", default: "2000" },
      confirmations: { type: "string" },
      "lease-ttl": { type: "string", default: "15000" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const deployment: CustosDeployment = values.deployment
    ? (JSON.parse(readFileSync(values.deployment, "utf8")) as CustosDeployment)
    : loadDeployment(values.network);
  const rpcUrl =
    values.rpc ??
    process.env.CUSTOS_RPC_URL ??
    (deployment.network === "localhost" ? "http://127.0.0.1:8545" : undefined);
  if (!rpcUrl)
    throw new Error(`no RPC URL for network "${deployment.network}": pass --rpc <url> or set CUSTOS_RPC_URL`);
  const poll = Number(values.poll);
  if (!Number.isInteger(poll) || poll < 50) throw new Error("--poll must be a whole number of milliseconds ≥ 50");
  const ttl = Number(values["lease-ttl"]);
  if (!Number.isInteger(ttl) || ttl < 2 * poll)
    throw new Error("--lease-ttl must be a whole number of milliseconds ≥ twice --poll");
  const database = values.db ? parseDatabaseUrl(values.db) : databaseConfigFromEnv();

  let leading: boolean | undefined;
  const stop = startAlertService({
    rpcUrl,
    deployment,
    database: values.db,
    pollIntervalMs: poll,
    confirmations: values.confirmations === undefined ? undefined : Number(values.confirmations),
    lease: { ttlMs: ttl },
    onTick: (r) => {
      if (r.leader !== leading) {
        leading = r.leader;
        console.log(
          r.leader
            ? "[alerts] leading: this watcher scans and delivers"
            : "[alerts] standing by: another watcher leads",
        );
      }
      if (r.events === 0 && r.sent === 0 && r.failed === 0 && !r.rewound) return;
      const rewound = r.rewound ? ` (reorganisation: rewound to block ${r.rewound.to})` : "";
      console.log(
        `[alerts] up to block ${r.toBlock}${rewound}: ${r.events} events, ${r.sent} sent, ${r.failed} failed`,
      );
    },
  });
  console.log(
    `Custos alert watcher: network ${deployment.network} (chain ${deployment.chainId}), factory ${deployment.factory}`,
  );
  console.log(`  RPC ${rpcUrl}, database ${describeDatabase(database)}, polling every ${poll} ms`);
  const shutdown = () => {
    void stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

try {
  main();
} catch (error) {
  console.error(`watcher: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
