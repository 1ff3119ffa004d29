/**
 * R1, "preferably served from the watcher's index with the chain as fallback": on a chain of more
 * than 20,000 blocks behind an RPC capped at 1,000 blocks per eth_getLogs, the real watcher indexes
 * the account's logs and its token approvals into SQLite, /api/logs (the real handler, on a real
 * HTTP server) serves them in bounded pages, and the client library's log reader takes them from
 * there, checks each against its receipt, and reads from the chain only the blocks after the
 * index's head. An index that is behind, down, or lying leaves the answers the same.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, encodeFunctionData, http, parseAbi, type Address, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { executeBatch } from "../../../custos/actions/execute.js";
import { lock, unlock } from "../../../custos/actions/lock.js";
import type { CustosDeployment } from "../../../custos/deployments.js";
import { httpLogIndex } from "../../../custos/state/logIndex.js";
import { configureLogReads, type LogReader } from "../../../custos/state/logs.js";
import { readAccountState } from "../../../custos/state/readAccountState.js";
import { listTokenApprovals } from "../../../custos/tokens/listTokenApprovals.js";
import { AlertWatcher } from "../../../server/alerts/watcher.js";
import { openDatabase, type Database } from "../../../server/db/index.js";
import { logIndexApi } from "../../../server/logs/api.js";
import { limiter } from "../../../server/http/rateLimit.js";
import { serve, type Served } from "../../server/helpers/serve.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { deploymentPath, writeDeployment } from "../../../custos/deployments.js";
import { startPostgres } from "../../server/helpers/postgres.js";
import { demoConfig, startLocalChain, type LocalChain } from "../../helpers/localChain.js";
import { startRpcProxy, type RpcProxy } from "./helpers/rpcProxy.js";

const CAP = 1_000n;
const PORTS = { chain: 9303, proxy: 9304, index: 9305, liar: 9306, down: 9307, postgres: 9308 };
const CHAIN_ID = 31_337;
const tokenAbi = parseAbi(["function approve(address spender, uint256 value)"]);
const fresh = () => privateKeyToAccount(generatePrivateKey());

interface Costs {
  rpc: number;
  getLogs: number;
  logBlocks: bigint;
  receipts: number;
  indexRequests: number;
}

/** A read limit no test reaches. */
const unlimited = () => limiter("log-reads-test", { points: 1_000_000, durationSeconds: 60 }, "Too many log reads.");

describe("reads from the watcher's log index, the chain as fallback", { timeout: 180_000 }, () => {
  let chain: LocalChain;
  let proxy: RpcProxy;
  let dir: string;
  let db: Database;
  let index: Served;
  let liar: Served;
  let deployment: CustosDeployment;
  let watcher: AlertWatcher;
  let owner: PrivateKeyAccount;
  let guardian: PrivateKeyAccount;
  let account: Address;
  let token: Address;
  let indexRequests = 0;
  const spender = fresh().address;
  const fromBlock = () => BigInt(deployment.deploymentBlock);
  const head = () => chain.client.getBlockNumber({ cacheTime: 0 });
  /** hardhat_mine: Hardhat's node mines any number of empty blocks at once. */
  const mine = (blocks: number) =>
    chain.client.request({ method: "hardhat_mine" as "eth_chainId", params: [`0x${blocks.toString(16)}`] as never });

  /** A fresh client through the capped RPC, as a dApp tab or the CLI has, reading from `indexUrl` if given. */
  const client = (indexUrl?: string): { client: PublicClient; reader: LogReader } => {
    const c = createPublicClient({
      chain: chain.client.chain,
      transport: http(proxy.url, { retryCount: 0 }),
    }) as PublicClient;
    const reader = configureLogReads(c, {
      maxBlockRange: CAP,
      index: indexUrl
        ? httpLogIndex(indexUrl, {
            chainId: CHAIN_ID,
            fetch: (input, init) => {
              indexRequests += 1;
              return fetch(input, init);
            },
          })
        : undefined,
    });
    return { client: c, reader };
  };
  const refresh = async (c: PublicClient) => ({
    state: await readAccountState(c, account, { fromBlock: fromBlock() }),
    approvals: await listTokenApprovals(c, account, { fromBlock: fromBlock() }),
  });
  const measure = async <T>(work: () => Promise<T>): Promise<{ result: T; costs: Costs }> => {
    proxy.reset();
    indexRequests = 0;
    const result = await work();
    return {
      result,
      costs: {
        rpc: proxy.total(),
        getLogs: proxy.stats.calls.eth_getLogs ?? 0,
        logBlocks: proxy.stats.logBlocks,
        receipts: proxy.stats.calls.eth_getTransactionReceipt ?? 0,
        indexRequests,
      },
    };
  };
  const indexUntilHead = async () => {
    const target = await head();
    for (let i = 0; i < 10; i++) if ((await watcher.tick()).toBlock >= target) return;
    throw new Error("the watcher did not reach the head");
  };
  const approve = (to: Address, value: bigint) =>
    executeBatch(chain.client, chain.wallet(owner), {
      account,
      calls: [
        {
          to: token,
          value: 0n,
          data: encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [to, value] }),
        },
      ],
      fromBlock: fromBlock(),
    });

  before(async () => {
    chain = await startLocalChain(PORTS.chain);
    proxy = await startRpcProxy({ port: PORTS.proxy, upstream: chain.rpcUrl, cap: CAP });
    deployment = chain.deployment;
    owner = await chain.fundedKey();
    guardian = await chain.fundedKey();
    await mine(10_000);
    account = await chain.createAccount(owner.address, demoConfig([guardian.address], 1));
    await mine(5_000);
    token = await chain.deployArtifact("contracts/test/TestERC20.sol", "TestERC20");
    await approve(spender, 1234n);
    await mine(5_000);
    await lock(chain.client, chain.wallet(guardian), { account, fromBlock: fromBlock() });
    await mine(50);
    assert.ok((await head()) > 20_000n, "the chain is longer than 20,000 blocks");

    dir = mkdtempSync(path.join(tmpdir(), "custos-log-index-"));
    db = await openDatabase({ engine: "sqlite", file: path.join(dir, "index.sqlite") });
    // The watcher reads the chain directly (its cost is the server's, not the dApp's).
    watcher = new AlertWatcher({ client: chain.client, deployment, db, maxBlockRange: 2_000 });
    await indexUntilHead();
    const api = logIndexApi({ db: async () => db, defaultChainId: () => CHAIN_ID, reads: unlimited() });
    index = await serve(PORTS.index, [["GET", /^\/api\/logs$/, (r) => api(r)]]);
    // An index that forges: the real answers with one byte of every log's data changed.
    liar = await serve(PORTS.liar, [
      [
        "GET",
        /^\/api\/logs$/,
        async (r) => {
          const real = (await (await api(r)).json()) as { logs?: { data: string }[] };
          for (const log of real.logs ?? []) {
            if (log.data.length > 2) log.data = `${log.data.slice(0, -1)}${log.data.endsWith("0") ? "1" : "0"}`;
          }
          return Response.json(real);
        },
      ],
    ]);
  });

  after(async () => {
    await index?.close();
    await liar?.close();
    await watcher?.close();
    await db?.destroy();
    await proxy?.stop();
    await chain?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(deploymentPath("custos-log-index"), { force: true });
  });

  it("serves an account's logs and approvals in bounded pages that end on block boundaries", async () => {
    const url = `${index.url}/api/logs`;
    const page = async (query: string) => {
      const res = await fetch(`${url}?${query}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const all = await page(`address=${account}&fromBlock=0`);
    assert.equal(all.status, 200);
    assert.equal(all.body.chainId, CHAIN_ID);
    assert.equal(all.body.fromBlock, deployment.deploymentBlock, "raised to where the index starts");
    assert.equal((all.body.head as { number: number }).number, Number(await head()));
    const logs = all.body.logs as { blockNumber: string }[];
    assert.ok(logs.length >= 3, `${logs.length} logs of the account`);
    assert.equal(all.body.next, null);

    // limit=1: the first block's logs, all of them (a block is never split), up to the next log's block.
    const blockOf = (log: { blockNumber: string }) => Number(log.blockNumber);
    const firstBlock = blockOf(logs[0]!);
    const secondBlock = logs.map(blockOf).find((b) => b > firstBlock)!;
    const first = await page(`address=${account}&fromBlock=0&limit=1`);
    const firstLogs = first.body.logs as { blockNumber: string }[];
    assert.deepEqual(
      firstLogs.map(blockOf),
      logs.map(blockOf).filter((b) => b === firstBlock),
    );
    assert.ok(firstLogs.length >= 2, "the account's creation block holds several logs, served together");
    assert.equal(first.body.toBlock, firstBlock, "a full page ends with its block");
    assert.equal(first.body.next, firstBlock + 1);
    // limit = the first block's logs: the page ends just before the next log's block.
    const exact = await page(`address=${account}&fromBlock=0&limit=${firstLogs.length}`);
    assert.equal((exact.body.logs as unknown[]).length, firstLogs.length);
    assert.equal(exact.body.toBlock, secondBlock - 1);
    assert.equal(exact.body.next, secondBlock);
    const second = await page(`address=${account}&fromBlock=${secondBlock}&limit=1`);
    assert.equal(blockOf((second.body.logs as { blockNumber: string }[])[0]!), secondBlock);
    assert.equal(
      (await page(`address=${account}&limit=5000`)).body.next,
      null,
      "a larger limit is served, capped at 1,000",
    );

    const approvals = await page(
      `owner=${account}&topic0=0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925&fromBlock=0`,
    );
    assert.equal((approvals.body.logs as unknown[]).length, 1, "the token approval the account gave");

    assert.equal((await page(`address=${spender}&fromBlock=0`)).status, 404, "not a followed account");
    assert.equal((await page(`address=${account}&fromBlock=0&chainId=1`)).status, 404, "no index of chain 1");
    assert.equal((await page(`address=nope`)).status, 400);
    assert.equal((await page(`address=${account}&owner=${account}`)).status, 400);
  });

  it("a dashboard's first load and refresh read the same state from the index, with few RPC calls", async () => {
    const chainOnly = client();
    const before = await measure(() => refresh(chainOnly.client));
    const indexed = client(`${index.url}/api/logs`);
    const first = await measure(() => refresh(indexed.client));
    assert.deepEqual(first.result.state.activity, before.result.state.activity, "the same events");
    assert.deepEqual(first.result.approvals, before.result.approvals, "the same approvals");
    assert.equal(first.result.state.locked, true);
    assert.equal(indexed.reader.stats.indexFailures, 0);
    assert.ok(indexed.reader.stats.indexReads >= 2, "account events and approvals came from the index");
    assert.ok(first.costs.logBlocks <= 3n * 2n, `the chain read ${first.costs.logBlocks} blocks of logs`);

    // A new event, indexed by the watcher before the refresh (it polls every 2 s).
    await mine(3);
    await unlock(chain.client, chain.wallet(guardian), { account, fromBlock: fromBlock() });
    await indexUntilHead();
    const again = await measure(() => refresh(indexed.client));
    assert.equal(again.result.state.locked, false);
    assert.equal(again.result.state.activity[0]!.eventName, "Unlocked");
    const plainAgain = await measure(() => refresh(chainOnly.client));
    assert.deepEqual(again.result.state.activity, plainAgain.result.state.activity);
    const blocks = await head();
    const line = (name: string, c: Costs) =>
      `  ${name.padEnd(24)} ${c.rpc} RPC calls (${c.getLogs} eth_getLogs over ${c.logBlocks} blocks, ${c.receipts} receipts), ${c.indexRequests} index requests`;
    console.log(
      [
        `dashboard (account state + token approvals) on a ${blocks}-block chain, RPC capped at ${CAP} blocks per eth_getLogs:`,
        line("first load, chain only:", before.costs),
        line("first load, index on:", first.costs),
        line("refresh, chain only:", plainAgain.costs),
        line("refresh, index on:", again.costs),
      ].join("\n"),
    );
    assert.ok(first.costs.getLogs < before.costs.getLogs / 5, "far fewer eth_getLogs on the first load");
  });

  it("an index behind the chain serves what it has; the chain serves only the blocks after its head", async () => {
    const indexHead = await head();
    await mine(2_500);
    await approve(fresh().address, 7n); // not indexed yet: the watcher is not ticking
    const indexed = client(`${index.url}/api/logs`);
    const { result, costs } = await measure(() => refresh(indexed.client));
    assert.equal(result.approvals.length, 2, "the approval after the index's head is read from the chain");
    const past = (await head()) - indexHead;
    // Three filters (account logs, Approval, ApprovalForAll), each from the index's head to the chain's.
    assert.ok(costs.logBlocks <= 3n * past, `read ${costs.logBlocks} blocks, ${past} past the index's head`);
    assert.ok(costs.logBlocks >= past, "the blocks past the head were read from the chain");
    await indexUntilHead();
  });

  it("falls back to the chain when the index is down", async () => {
    const down = client(`http://127.0.0.1:${PORTS.down}/api/logs`);
    const reference = await refresh(client().client);
    const { state, approvals } = await refresh(down.client);
    assert.deepEqual(state.activity, reference.state.activity);
    assert.deepEqual(approvals, reference.approvals);
    assert.ok(down.reader.stats.indexFailures >= 1);
    assert.equal(down.reader.stats.indexFailures, 1, "one failed request, then the chain for 30 s");
    assert.notEqual(down.reader.index, undefined, "an unreachable index is asked again later");
  });

  it("refuses a lying index: a forged log fails its receipt check and the chain answers", async () => {
    const lied = client(`${liar.url}/api/logs`);
    const reference = await refresh(client().client);
    const { state, approvals } = await refresh(lied.client);
    assert.deepEqual(state.activity, reference.state.activity);
    assert.deepEqual(approvals, reference.approvals);
    assert.equal(lied.reader.stats.indexFailures, 1);
    assert.equal(lied.reader.index, undefined, "a lying index is never asked again");
    assert.ok(lied.reader.stats.verified >= 1, "the receipt was read");
  });

  it("drops orphaned logs from the index on a reorganisation", async () => {
    const count = async () =>
      (
        (await (
          await fetch(
            `${index.url}/api/logs?owner=${account}&topic0=0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925`,
          )
        ).json()) as { logs: unknown[] }
      ).logs.length;
    const before = await count();
    const snapshot = await chain.client.request({ method: "evm_snapshot" as "eth_chainId" });
    await approve(fresh().address, 9n);
    await indexUntilHead();
    assert.equal(await count(), before + 1);
    await chain.client.request({ method: "evm_revert" as "eth_chainId", params: [snapshot] as never });
    await mine(3);
    await indexUntilHead();
    assert.equal(await count(), before, "the orphaned approval left the index");
  });

  it("limits the pages one client reads, and says when to come back", async () => {
    const api = logIndexApi({
      db: async () => db,
      defaultChainId: () => CHAIN_ID,
      reads: limiter("log-reads-limited", { points: 2, durationSeconds: 60 }, "Too many log reads from this address."),
      clientKey: (r) => r.headers.get("x-test-client") ?? "none",
    });
    const ask = (client: string) =>
      api(new Request(`http://x/api/logs?address=${account}&limit=1`, { headers: { "x-test-client": client } }));
    assert.equal((await ask("a")).status, 200);
    assert.equal((await ask("a")).status, 200);
    const refused = await ask("a");
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /Too many log reads/);
    assert.equal((await ask("b")).status, 200, "another client has its own budget");
  });

  it("builds the same index on Postgres", async () => {
    const postgres = await startPostgres(PORTS.postgres);
    const pgDb = await openDatabase({ engine: "postgres", url: await postgres.createDatabase("log_index") });
    try {
      const pgWatcher = new AlertWatcher({ client: chain.client, deployment, db: pgDb, maxBlockRange: 2_000 });
      const target = await head();
      while ((await pgWatcher.tick()).toBlock < target);
      await pgWatcher.close();
      await indexUntilHead();
      const onSqlite = logIndexApi({ db: async () => db, defaultChainId: () => CHAIN_ID, reads: unlimited() });
      const onPostgres = logIndexApi({ db: async () => pgDb, defaultChainId: () => CHAIN_ID, reads: unlimited() });
      for (const query of [
        `address=${account}`,
        `owner=${account}&topic0=0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925`,
        `address=${account}&limit=2`,
      ]) {
        const ask = async (api: typeof onSqlite) =>
          (await api(new Request(`http://x/api/logs?${query}&toBlock=${target}`))).json();
        const [a, b] = [await ask(onSqlite), await ask(onPostgres)];
        assert.deepEqual(b, a, query);
      }
    } finally {
      await pgDb.destroy();
      await postgres.stop();
    }
  });

  it("the CLI reads an account's state through --log-index, without one eth_getLogs", async () => {
    await indexUntilHead();
    writeDeployment({ ...deployment, network: "custos-log-index" });
    const args = ["status", "--network", "custos-log-index", "--account", account, "--rpc", proxy.url];
    const cli = (extra: string[]) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/custos.ts", ...args, ...extra, "--json"], {
        cwd: path.resolve(import.meta.dirname, "../../.."),
        timeout: 60_000,
      });
    proxy.reset();
    const withIndex = JSON.parse((await cli(["--log-index", `${index.url}/api/logs`])).stdout) as {
      activity: unknown[];
    };
    assert.equal(proxy.stats.calls.eth_getLogs ?? 0, 0, "every log came from the index");
    proxy.reset();
    const chainOnly = JSON.parse((await cli(["--max-block-range", String(CAP)])).stdout) as { activity: unknown[] };
    assert.ok((proxy.stats.calls.eth_getLogs ?? 0) > 10, "without it the CLI scans the chain in capped ranges");
    assert.deepEqual(withIndex.activity, chainOnly.activity);
  });
});
