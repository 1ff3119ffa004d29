/**
 * R4, a portable build: the built dApp holds no import of a build-machine file, and a copy of the
 * build moved to another folder serves a page and an API route from there, reading its deployment
 * and database where it now lives. The moved server also refuses a 50 MB body early (R5).
 */
import assert from "node:assert/strict";
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
import { BUILT, deployment, ensureBuild, ROOT, startServer, type Started } from "./helpers/build.js";

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
  let server: Started;
  const url = `http://127.0.0.1:${APP_PORT}`;

  before(async () => {
    ensureBuild(); // a few minutes when the sources changed since the last build, else nothing
    moved = mkdtempSync(path.join(tmpdir(), "custos-moved-"));
    mkdirSync(path.join(moved, "app"));
    cpSync(BUILT, path.join(moved, "app", ".next"), { recursive: true });
    cpSync(path.join(ROOT, "app", "next.config.ts"), path.join(moved, "app", "next.config.ts"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(moved, "node_modules"));
    mkdirSync(path.join(moved, "deployments"));
    writeFileSync(path.join(moved, "deployments", "moved.json"), JSON.stringify(deployment("moved", CHAIN_ID)));
    const env = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      CUSTOS_NETWORK: "moved",
      CUSTOS_RPC_URL: "http://127.0.0.1:9",
    };
    for (const name of ["CUSTOS_NEXT_DIST_DIR", "CUSTOS_DATABASE_URL", "CUSTOS_DEPLOYMENTS_DIR"]) {
      delete (env as Record<string, string | undefined>)[name];
    }
    server = await startServer(
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
      url,
      env,
      { cwd: moved, timeoutMs: 90_000 },
    );
  });

  after(async () => {
    await server?.stop();
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
    const before = rssKb(server.pid);
    const statuses = await Promise.all([1, 2, 3, 4].map(() => post50MB(`${url}/api/rpc`)));
    assert.deepEqual(statuses, [413, 413, 413, 413]);
    const grewMb = (rssKb(server.pid) - before) / 1024;
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
