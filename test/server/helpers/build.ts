/**
 * The built dApp the server tests run (test-results/next-portable, the portable-build test's output):
 * rebuilt when it is missing or older than any source it is built from, so a test never serves stale
 * code and a suite run builds it once. Also how a test starts it: a deployment file for the chain it
 * should serve, and a server process it waits for.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const NEXT = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
/** distDir as app/next.config.ts takes it (CUSTOS_NEXT_DIST_DIR, relative to app/). */
export const DIST = "../test-results/next-portable";
export const BUILT = path.join(ROOT, "test-results", "next-portable");

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Whether the build is older than app/src, app/next.config.ts, server/ or custos/. */
export function buildIsStale(): boolean {
  const id = path.join(BUILT, "BUILD_ID");
  if (!existsSync(id)) return true;
  const sources = Math.max(
    newest(path.join(ROOT, "app", "src")),
    newest(path.join(ROOT, "server")),
    newest(path.join(ROOT, "custos")),
    statSync(path.join(ROOT, "app", "next.config.ts")).mtimeMs,
  );
  return statSync(id).mtimeMs < sources;
}

/** `next build --webpack app` into BUILT (next-env.d.ts kept as it was). */
export function buildApp(): void {
  const nextEnv = path.join(ROOT, "app", "next-env.d.ts");
  const nextEnvBefore = readFileSync(nextEnv, "utf8");
  const build = spawnSync(process.execPath, [NEXT, "build", "--webpack", "app"], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CUSTOS_NEXT_DIST_DIR: DIST },
    encoding: "utf8",
  });
  writeFileSync(nextEnv, nextEnvBefore);
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
}

/** Builds the dApp unless a build newer than every source exists. */
export function ensureBuild(): void {
  if (buildIsStale()) buildApp();
}

/** A deployment file (deployments/<network>.json) for `chainId`; the addresses are placeholders. */
export function deployment(network: string, chainId: number) {
  return {
    network,
    chainId,
    entryPoint: "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
    implementation: "0x0000000000000000000000000000000000000001",
    factory: "0x0000000000000000000000000000000000000002",
    deploymentBlock: 1,
    salt: `0x${"00".repeat(32)}`,
    constructorArgs: {
      implementation: {
        entryPoint: "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
        bounds: {
          minRecoveryDelay: 60,
          maxRecoveryDelay: 2592000,
          minSecurityPeriod: 20,
          minSecurityWindow: 20,
          minLockPeriod: 30,
        },
      },
      factory: { implementation: "0x0000000000000000000000000000000000000001" },
    },
  };
}

export interface Started {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** SIGTERM to its process group; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `command` in its own process group (in `cwd`, ROOT by default) and waits until `url`
 * answers with a status below 500; throws, with the output, when it exits first or `timeoutMs`
 * (60 s by default) pass.
 */
export async function startServer(
  command: string,
  args: string[],
  url: string,
  env: NodeJS.ProcessEnv,
  { cwd = ROOT, timeoutMs = 60_000 }: { cwd?: string; timeoutMs?: number } = {},
): Promise<Started> {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${command} exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
    }
    try {
      if ((await fetch(url)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: child.pid!, output: () => output, stop };
}
