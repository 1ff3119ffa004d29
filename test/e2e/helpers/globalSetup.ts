import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStack } from "../../../scripts/stack/startStack.js";
import { BUDGET_KB, formatSizes, measureFirstLoadJs } from "../../../app/scripts/first-load-js.js";
import { MAIL_SMTP_PORT, startMailCatcher } from "./mailCatcher.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const CHAIN_PORT = 8703;
const BUNDLER_PORT = 4443;
const APP_PORT = 3103;
const NETWORK = "hardhat-e2e";
/**
 * The suite's own build directory (relative to app/), apart from any other `next build` of the project
 * and inside test-results/, which lint, prettier and git ignore.
 */
const DIST_DIR = "../test-results/next-e2e";

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`the dApp server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/**
 * Chain (clock 2 h behind the wall clock, so the suite can time-travel) + contracts + alto + maildev + built
 * dApp.
 */
export default async function globalSetup() {
  const started = Date.now();
  const results = path.join(root, "test-results");
  mkdirSync(results, { recursive: true });
  const stack = await startStack({
    chainPort: CHAIN_PORT,
    bundlerPort: BUNDLER_PORT,
    deploymentName: NETWORK,
    chainInitialDate: new Date(Date.now() - 2 * 3600_000).toISOString(),
    logs: path.join(results, "e2e-stack.log"),
  });
  // e-mail alerts (D7) go to a real SMTP server: maildev, whose inbox the alerts journey reads
  const stopMail = await startMailCatcher(
    path.join(results, "e2e-maildev"),
    path.join(results, "e2e-maildev.log"),
  ).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  const baseUrl = `http://127.0.0.1:${APP_PORT}`;
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    CUSTOS_RPC_URL: stack.rpcUrl,
    CUSTOS_BUNDLER_URL: stack.bundlerUrl,
    CUSTOS_NETWORK: NETWORK,
    CUSTOS_DATABASE_URL: path.join(results, "e2e-approvals.sqlite"),
    CUSTOS_WRITE_LIMIT: "1000",
    CUSTOS_NEXT_DIST_DIR: DIST_DIR,
    CUSTOS_SMTP_URL: `smtp://127.0.0.1:${MAIL_SMTP_PORT}`,
    // the links in the alert messages point at this dApp
    CUSTOS_APP_URL: baseUrl,
  };
  rmSync(env.CUSTOS_DATABASE_URL, { force: true });
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const built = existsSync(path.join(root, "app", DIST_DIR, "BUILD_ID"));
  if (!process.env.E2E_SKIP_BUILD || !built) {
    // `next build` rewrites next-env.d.ts to point at its dist dir; the suite's build leaves it as it was
    const nextEnv = path.join(root, "app", "next-env.d.ts");
    const nextEnvBefore = readFileSync(nextEnv, "utf8");
    const build = spawnSync(process.execPath, [next, "build", "--webpack", "app"], {
      cwd: root,
      env,
      stdio: "inherit",
    });
    writeFileSync(nextEnv, nextEnvBefore);
    if (build.status !== 0) {
      stopMail();
      await stack.stop();
      throw new Error("next build failed");
    }
  }
  const server = spawn(process.execPath, [next, "start", "app", "-p", String(APP_PORT), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  await waitForHttp(baseUrl, 60_000, server);
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_RPC_URL = stack.rpcUrl;
  process.env.E2E_BUNDLER_URL = stack.bundlerUrl;
  process.env.E2E_NETWORK = NETWORK;
  process.env.E2E_GUARDIAN_KEYS = JSON.stringify(stack.devAccounts.map((a) => a.privateKey));
  writeFileSync(path.join(results, "e2e-setup.txt"), `stack + dApp ready in ${Date.now() - started} ms\n`);
  const teardown = async () => {
    if (server.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    stopMail();
    await stack.stop();
    rmSync(path.join(root, "deployments", `${NETWORK}.json`), { force: true });
  };
  const measured = await measureFirstLoadJs(baseUrl, path.join(root, "app", DIST_DIR));
  const sizes = formatSizes(measured);
  writeFileSync(path.join(results, "first-load-js.txt"), `${sizes}\n`);
  console.log(sizes);
  // the first-load JS budget fails the suite, not just the report
  const over = measured.filter((s) => s.gzipBytes / 1024 > BUDGET_KB);
  if (over.length) {
    await teardown();
    throw new Error(
      `first-load JS over the ${BUDGET_KB} KB gzipped budget: ${over.map((s) => `${s.route} ${(s.gzipBytes / 1024).toFixed(1)} KB`).join(", ")}`,
    );
  }
  return teardown;
}
