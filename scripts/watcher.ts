/**
 * Runs the alert watcher alone against any configured network:
 *   npx tsx scripts/watcher.ts --network <name> [--rpc <url>] [--db <file>] [--poll <ms>] [--confirmations <n>]
 * The network's addresses come from deployments/<name>.json (or --deployment <file> of that form). RPC: --rpc, else env CUSTOS_RPC_URL,
 * else http://127.0.0.1:8545 for "localhost". E-mail: env CUSTOS_SMTP_URL and CUSTOS_MAIL_FROM;
 * links: env CUSTOS_APP_URL. Ctrl-C stops it.
 */
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { loadDeployment, type CustosDeployment } from "../custos/deployments.js";
import { startAlertService } from "../server/alerts/service.js";
import { defaultDatabasePath } from "../server/db.js";

const USAGE =
  "usage: tsx scripts/watcher.ts (--network <name> | --deployment <file>) [--rpc <url>] [--db <file>] [--poll <ms>] " +
  "[--confirmations <n>]";

function main() {
  const { values } = parseArgs({
    options: {
      network: { type: "string", default: process.env.CUSTOS_NETWORK ?? "localhost" },
      deployment: { type: "string" },
      rpc: { type: "string" },
      db: { type: "string" },
      poll: { type: "string", default: "2000" },
      confirmations: { type: "string" },
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

  const stop = startAlertService({
    rpcUrl,
    deployment,
    dbPath: values.db,
    pollIntervalMs: poll,
    confirmations: values.confirmations === undefined ? undefined : Number(values.confirmations),
    onTick: (r) => {
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
  console.log(`  RPC ${rpcUrl}, database ${values.db ?? defaultDatabasePath()}, polling every ${poll} ms`);
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
