/**
 * `npm start`: the local Custos stack on 127.0.0.1 — a development chain (anvil), the contracts
 * (EntryPoint v0.8 at its canonical address, demo delay bounds, written to deployments/localhost.json)
 * and a real ERC-4337 bundler (alto) that checks the ERC-7562 validation rules as public bundlers do.
 * Prints URLs, funded development accounts and the start-up time; Ctrl-C stops everything.
 * Ports: CUSTOS_CHAIN_PORT (default 8545), CUSTOS_BUNDLER_PORT (default 4337).
 * CUSTOS_CHAIN=hardhat runs Hardhat's node instead (it has no tracer: the bundler then checks no rules).
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createPublicClient, formatEther, http } from "viem";
import path from "node:path";
import { startAlertService } from "../server/alerts/service.js";
import { startApp } from "./stack/startApp.js";
import { startStack, type Stack } from "./stack/startStack.js";
import type { ChainKind } from "./stack/chain.js";

const CHAIN_PORT = Number(process.env.CUSTOS_CHAIN_PORT ?? 8545);
const BUNDLER_PORT = Number(process.env.CUSTOS_BUNDLER_PORT ?? 4337);
const APP_PORT = Number(process.env.CUSTOS_APP_PORT ?? 3000);
/** The local mail catcher (maildev): e-mail alerts work out of the box, read in its web inbox. */
const SMTP_PORT = Number(process.env.CUSTOS_MAILDEV_SMTP_PORT ?? 1025);
const INBOX_PORT = Number(process.env.CUSTOS_MAILDEV_WEB_PORT ?? 1080);
/** The one embedded database shared by the dApp's approval collection and the alert watcher. */
const DB_PATH = process.env.CUSTOS_DATABASE_URL ?? path.resolve(".data/custos.sqlite");

function chainKind(value = "anvil"): ChainKind {
  if (value === "anvil" || value === "hardhat") return value;
  console.error(`CUSTOS_CHAIN must be "anvil" or "hardhat", got "${value}"`);
  process.exit(2);
}
const CHAIN = chainKind(process.env.CUSTOS_CHAIN);

/** E-mail: the operator's relay when CUSTOS_SMTP_URL is set, else a local maildev started here. */
const MAIL = {
  external: !!process.env.CUSTOS_SMTP_URL,
  smtpUrl: process.env.CUSTOS_SMTP_URL ?? `smtp://127.0.0.1:${SMTP_PORT}`,
  inboxUrl:
    process.env.CUSTOS_MAIL_INBOX_URL ??
    (process.env.CUSTOS_SMTP_URL ? "" : `http://127.0.0.1:${INBOX_PORT}/index.html`),
};

/** Starts maildev on loopback (SMTP and web inbox); returns its stopper. */
function startMailCatcher(logFile: string): () => Promise<void> {
  // maildev 3 exports only its ESM entry (dist/index.js); its bin sits beside it in dist/bin.
  const bin = fileURLToPath(new URL("bin/maildev.js", import.meta.resolve("maildev")));
  const args = [
    bin,
    "--smtp",
    String(SMTP_PORT),
    "--ip",
    "127.0.0.1",
    "--web",
    String(INBOX_PORT),
    "--web-ip",
    "127.0.0.1",
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logFile, { flags: "a" });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
}

/** Stops everything started so far, once. */
const stoppers: (() => Promise<void>)[] = [];
let startingUp = true;
let stopRequested = false;
let stopping = false;
async function stopAll(code: number) {
  stopRequested = true;
  if (startingUp) {
    // startStack stops what it started when it fails; let the current step finish so nothing leaks.
    console.log("\nWill stop as soon as the start-up step in progress ends…");
    return;
  }
  if (stopping) return;
  stopping = true;
  console.log("\nStopping the Custos stack…");
  await Promise.allSettled(stoppers.reverse().map((stop) => stop()));
  process.exit(code);
}

function printStack(stack: Stack, logFile: string, devBalance: bigint, appUrl: string) {
  const { deployment } = stack;
  const { chainMs, contractsMs, bundlerMs } = stack.timings;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `\nCustos local stack is up in ${s(stack.startupMs)} ` +
      `(chain ${s(chainMs)}, contracts ${s(contractsMs)}, bundler ${s(bundlerMs)})\n`,
  );
  console.log(`  dApp           ${appUrl}`);
  console.log(`  alert watcher  running (database ${DB_PATH})`);
  console.log(
    `  mail inbox     ${MAIL.inboxUrl}  (${MAIL.external ? "your SMTP relay" : "maildev, e-mail alerts land here"})`,
  );
  const chainName = stack.chainKind === "anvil" ? "anvil" : "Hardhat node";
  const rules = stack.safeMode ? "ERC-7562 rules checked" : "no ERC-7562 checks";
  console.log(`  chain RPC      ${stack.rpcUrl}  (${chainName}, chain id ${stack.chain.id})`);
  console.log(`  bundler RPC    ${stack.bundlerUrl}  (alto, ${rules}; alto itself listens on 0.0.0.0, hard-coded)`);
  console.log(`  EntryPoint     ${deployment.entryPoint}  (v0.8)`);
  console.log(`  factory        ${deployment.factory}`);
  console.log(`  implementation ${deployment.implementation}  (demo delay bounds)`);
  console.log(`  deployment     deployments/${deployment.network}.json`);
  console.log(`  logs           ${logFile}`);
  console.log(
    `\nFunded development accounts (${formatEther(devBalance)} ETH each) for guardians and funders; ` +
      "their keys are public, use them locally only:",
  );
  for (const account of stack.devAccounts) {
    console.log(`  #${account.index}  ${account.address}  ${account.privateKey}`);
  }
  console.log("\nPress Ctrl-C to stop.");
}

async function main() {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  mkdirSync(".custos", { recursive: true });
  const logFile = process.env.CUSTOS_STACK_LOGS ?? ".custos/stack.log";
  console.log(`Starting chain, contracts, bundler, alert watcher and dApp (output of each goes to ${logFile})…`);
  const stack = await startStack({
    chainPort: CHAIN_PORT,
    bundlerPort: BUNDLER_PORT,
    chain: CHAIN,
    deploymentName: process.env.CUSTOS_DEPLOYMENT_NAME ?? "localhost",
    intervalMiningMs: 1000,
    logs: logFile,
  });
  stoppers.push(stack.stop);
  startingUp = false;
  if (stopRequested) return stopAll(0);

  const appUrl = `http://127.0.0.1:${APP_PORT}`;
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    CUSTOS_RPC_URL: stack.rpcUrl,
    CUSTOS_BUNDLER_URL: stack.bundlerUrl,
    CUSTOS_NETWORK: stack.deployment.network,
    CUSTOS_DATABASE_URL: DB_PATH,
    // The stack's own webhook receivers run on this machine: the operator (you) allows loopback.
    CUSTOS_WEBHOOK_ALLOW_PRIVATE: process.env.CUSTOS_WEBHOOK_ALLOW_PRIVATE ?? "1",
    CUSTOS_APP_URL: process.env.CUSTOS_APP_URL ?? appUrl,
    CUSTOS_SMTP_URL: MAIL.smtpUrl,
    CUSTOS_MAIL_INBOX_URL: MAIL.inboxUrl,
  };
  if (!MAIL.external) stoppers.push(startMailCatcher(logFile));
  startingUp = true;
  const stopWatcher = startAlertService({ rpcUrl: stack.rpcUrl, deployment: stack.deployment, database: DB_PATH, env });
  stoppers.push(stopWatcher);
  const app = await startApp({ port: APP_PORT, env, log: (line) => console.log(line) });
  stoppers.push(app.stop);
  startingUp = false;
  if (stopRequested) return stopAll(0);

  const client = createPublicClient({ transport: http(stack.rpcUrl) });
  printStack(stack, logFile, await client.getBalance({ address: stack.devAccounts[0]!.address }), app.url);
}

main().catch(async (error: unknown) => {
  startingUp = false;
  console.error(`stack failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});
