/**
 * R5, no open relays: the dApp's /api/rpc and /api/bundler forward only the methods the dApp needs,
 * small batches, and bodies capped while they are read. Upstream is a real anvil node; the proxy runs
 * behind a real HTTP server.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { BUNDLER_METHODS, CHAIN_METHODS } from "../../server/rpc/allowlist.js";
import { proxyJsonRpc, RPC_BODY_LIMIT } from "../../server/rpc/proxy.js";
import { serve, type Served } from "./helpers/serve.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ANVIL = path.join(ROOT, "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
const CHAIN_PORT = 8830;
const APP_PORT = 3200;
const RICH = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

let anvil: ChildProcess;
let app: Served;

async function rpc(route: string, body: unknown) {
  const res = await fetch(`${app.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & Record<number, unknown> };
}

const call = (method: string, params: unknown[] = [], id: number = 1) => ({ jsonrpc: "2.0", id, method, params });

before(async () => {
  anvil = spawn(ANVIL, ["--port", String(CHAIN_PORT), "--host", "127.0.0.1", "--silent"], { stdio: "ignore" });
  const upstream = `http://127.0.0.1:${CHAIN_PORT}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(upstream, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(call("eth_chainId")),
      });
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  app = await serve(APP_PORT, [
    ["POST", /^\/api\/rpc$/, (req) => proxyJsonRpc(req, { upstream, methods: CHAIN_METHODS })],
    ["POST", /^\/api\/bundler$/, (req) => proxyJsonRpc(req, { upstream, methods: BUNDLER_METHODS })],
  ]);
});

after(async () => {
  await app?.close();
  anvil?.kill("SIGTERM");
});

describe("JSON-RPC proxies", () => {
  it("forward what the dApp calls: chain id, balance, a batch of reads", async () => {
    const one = await rpc("/api/rpc", call("eth_chainId"));
    assert.equal(one.status, 200);
    assert.equal(one.json.result, "0x7a69");
    const batch = await rpc("/api/rpc", [call("eth_blockNumber", [], 1), call("eth_getBalance", [RICH, "latest"], 2)]);
    assert.equal(batch.status, 200);
    assert.equal((batch.json as unknown as { result: string }[]).length, 2);
  });

  it("refuse hardhat_setBalance and anvil_setBalance, and the balance does not change", async () => {
    const before = (await rpc("/api/rpc", call("eth_getBalance", [RICH, "latest"]))).json.result;
    for (const method of ["hardhat_setBalance", "anvil_setBalance"]) {
      const refused = await rpc("/api/rpc", call(method, [RICH, "0x1"]));
      assert.equal(refused.status, 403);
      assert.match(
        String((refused.json.error as { message: string }).message),
        new RegExp(`${method} is not available`),
      );
    }
    for (const method of [
      "evm_increaseTime",
      "debug_traceCall",
      "eth_sendTransaction",
      "eth_accounts",
      "personal_sign",
    ]) {
      assert.equal((await rpc("/api/rpc", call(method, []))).status, 403, method);
    }
    // a refused call inside a batch: nothing of the batch is forwarded
    const mixed = await rpc("/api/rpc", [call("eth_chainId", [], 1), call("anvil_setBalance", [RICH, "0x2"], 2)]);
    const answers = mixed.json as unknown as { error?: { code: number } }[];
    assert.equal(answers[1]!.error!.code, -32601);
    assert.equal(answers[0]!.error!.code, -32600);
    assert.equal((await rpc("/api/rpc", call("eth_getBalance", [RICH, "latest"]))).json.result, before);
  });

  it("the bundler proxy takes ERC-4337 methods only", async () => {
    assert.equal((await rpc("/api/bundler", call("eth_getBalance", [RICH, "latest"]))).status, 403);
    assert.equal((await rpc("/api/bundler", call("eth_call", [{ to: RICH }, "latest"]))).status, 403);
  });

  it("refuse batches beyond 10 calls and malformed bodies", async () => {
    const big = await rpc(
      "/api/rpc",
      Array.from({ length: 11 }, (_, i) => call("eth_chainId", [], i)),
    );
    assert.equal(big.status, 400);
    assert.match(String((big.json.error as { message: string }).message), /1 to 10 calls/);
    assert.equal((await rpc("/api/rpc", [])).status, 400);
    const notJson = await fetch(`${app.url}/api/rpc`, { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
  });

  it("refuse a 50 MB body early, declared or streamed, without holding it in memory", async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const result = await streamedPost(`${app.url}/api/rpc`, 50 * 1024 * 1024);
    assert.equal(result.status, 413);
    assert.ok(result.sentBytes < 8 * RPC_BODY_LIMIT + 4 * 1024 * 1024, `the server read ${result.sentBytes} bytes`);
    assert.ok(Date.now() - started < 10_000);
    const grew = process.memoryUsage().rss - rssBefore;
    assert.ok(grew < 40 * 1024 * 1024, `memory grew by ${Math.round(grew / 1e6)} MB`);

    const header = await headerOnlyPost(`${app.url}/api/rpc`, 50 * 1024 * 1024);
    assert.equal(header, 413, "a declared Content-Length over the cap is refused before the body");
  });
});

/** Streams `total` bytes in 64 KB chunks (chunked encoding) and stops when the server answers. */
function streamedPost(url: string, total: number): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sentBytes: sent });
      req.destroy();
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Sends only the headers of a POST declaring `length` bytes and returns the status it gets. */
function headerOnlyPost(url: string, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { "content-type": "application/json", "content-length": String(length) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on("error", reject);
    req.flushHeaders();
  });
}
