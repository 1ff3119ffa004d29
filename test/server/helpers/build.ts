/**
 * The built dApp the server tests run (test-results/next-portable, the portable-build test's output):
 * rebuilt when it is missing or older than any source it is built from, so a test never serves stale
 * code and a suite run builds it once.
 */
import { spawnSync } from "node:child_process";
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
