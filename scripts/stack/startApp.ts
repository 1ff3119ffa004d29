/**
 * Builds the dApp when it has no build or its build is older than its sources (app/, custos/), then
 * serves it on 127.0.0.1 (server/appServer.ts: `next start` behind a server that stamps socket addresses). Used by `npm start`.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".next" || entry.name.startsWith(".data")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when app/.next holds a production build newer than every source file of the dApp, library and server. */
export function appBuildIsFresh(): boolean {
  const buildId = path.join(root, "app", ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return ["app", "custos", "server"].every((dir) => newestMtime(path.join(root, dir)) <= built);
}

export interface AppOptions {
  port: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** Builds if needed and starts the dApp; resolves once it answers, with its URL and a stop function. */
export async function startApp({ port, env, log }: AppOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!appBuildIsFresh()) {
    log("building the dApp (once; about a minute)…");
    const build = spawnSync(process.execPath, [nextBin, "build", "--webpack", "app"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    if (build.status !== 0) {
      process.stderr.write(`${build.stdout}${build.stderr}`);
      throw new Error("the dApp did not build (its output is above)");
    }
  }
  // server/appServer.ts is `next start` plus the socket address of each request (rate limits key on it).
  const appServer = path.join(root, "server", "appServer.ts");
  const server = spawn(process.execPath, ["--import", "tsx", appServer, "app", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the dApp server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the dApp did not answer on ${url} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const stop = async () => {
    if (server.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  return { url, stop };
}
