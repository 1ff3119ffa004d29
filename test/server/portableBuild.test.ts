/**
 * R4, a portable build: the built dApp holds no import of a build-machine file, and a copy of the
 * build moved to another folder serves a page and an API route from there, reading its deployment
 * and database where it now lives. The moved server also refuses a 50 MB body early (R5).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NEXT = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const DIST = "../test-results/next-portable";
const BUILT = path.join(ROOT, "test-results", "next-portable");
const APP_PORT = 3204;
const CHAIN_ID = 4242;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(full) : e.name.endsWith(".js") ? [full] : [];
  });
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"))!;
  return Number(/(\d+)/.exec(line)![1]);
}

describe("the built dApp, moved to another folder", { timeout: 900_000 }, () => {
  let moved: string;
  let server: ChildProcess;
  const url = `http://127.0.0.1:${APP_PORT}`;

  before(async () => {
    if (!process.env.PORTABLE_SKIP_BUILD || !existsSync(path.join(BUILT, "BUILD_ID"))) {
      const nextEnv = path.join(ROOT, "app", "next-env.d.ts");
      const nextEnvBefore = readFileSync(nextEnv, "utf8");
      const build = spawnSync(process.execPath, [NEXT, "build", "--webpack", "app"], {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CUSTOS_NEXT_DIST_DIR: DIST },
        encoding: "utf8",
      });
      writeFileSync(nextEnv, nextEnvBefore);
      assert.equal(build.status, 0, `next build failed:\n${build.stdout}\n${build.stderr}`);
    }
    moved = mkdtempSync(path.join(tmpdir(), "custos-moved-"));
    mkdirSync(path.join(moved, "app"));
    cpSync(BUILT, path.join(moved, "app", ".next"), { recursive: true });
    cpSync(path.join(ROOT, "app", "next.config.ts"), path.join(moved, "app", "next.config.ts"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(moved, "node_modules"));
    mkdirSync(path.join(moved, "deployments"));
    writeFileSync(
      path.join(moved, "deployments", "moved.json"),
      JSON.stringify({
        network: "moved",
        chainId: CHAIN_ID,
        entryPoint: "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
        implementation: "0x0000000000000000000000000000000000000001",
        factory: "0x0000000000000000000000000000000000000002",
        deploymentBlock: 7,
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
      }),
    );
    const env = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      CUSTOS_NETWORK: "moved",
      CUSTOS_RPC_URL: "http://127.0.0.1:9",
    };
    for (const name of ["CUSTOS_NEXT_DIST_DIR", "CUSTOS_DATABASE_URL", "CUSTOS_DEPLOYMENTS_DIR"]) {
      delete (env as Record<string, string | undefined>)[name];
    }
    server = spawn(
      process.execPath,
      [
        path.join(moved, "node_modules", "next", "dist", "bin", "next"),
        "start",
        "app",
        "-p",
        String(APP_PORT),
        "-H",
        "127.0.0.1",
      ],
      {
        cwd: moved,
        env,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
      try {
        if ((await fetch(url)).status < 500) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error("the moved build did not answer within 90 s");
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  after(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    if (moved) rmSync(moved, { recursive: true, force: true });
  });

  it("imports no file of the build machine (no file:// URL of the build folder in any chunk)", () => {
    const offenders = jsFiles(path.join(BUILT, "server")).filter((f) => {
      const text = readFileSync(f, "utf8");
      return text.includes(`file://${ROOT}`) || text.includes(`require("${ROOT}`) || text.includes(`import("${ROOT}`);
    });
    assert.deepEqual(
      offenders.map((f) => path.relative(BUILT, f)),
      [],
    );
  });

  it("serves a page with the deployment of the folder it runs in", async () => {
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(
      html,
      new RegExp(`\\\\?"chainId\\\\?":${CHAIN_ID}`),
      "the page does not carry the moved folder's deployment",
    );
  });

  it("answers an API route from the moved folder's database", async () => {
    const res = await fetch(`${url}/api/requests/${"ab".repeat(12)}`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "NOT_FOUND");
    assert.ok(existsSync(path.join(moved, ".data", "custos.sqlite")), "the database is not under the moved folder");
  });

  it("refuses hardhat_setBalance and a 50 MB body early, without the server's memory ballooning", async () => {
    const refused = await fetch(`${url}/api/rpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "hardhat_setBalance",
        params: ["0x0000000000000000000000000000000000000001", "0x1"],
      }),
    });
    assert.equal(refused.status, 403);
    const before = rssKb(server.pid!);
    const statuses = await Promise.all([1, 2, 3, 4].map(() => post50MB(`${url}/api/rpc`)));
    assert.deepEqual(statuses, [413, 413, 413, 413]);
    const grewMb = (rssKb(server.pid!) - before) / 1024;
    assert.ok(grewMb < 100, `four 50 MB bodies grew the server by ${Math.round(grewMb)} MB`);
  });
});

function post50MB(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const total = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    let done = false;
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      done = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (e) => (done ? undefined : reject(e)));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}
