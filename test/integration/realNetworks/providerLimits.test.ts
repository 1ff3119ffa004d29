/**
 * R1: every read of the client library works through an RPC that, like a public provider, refuses
 * eth_getLogs over 1,000 blocks, on a chain of more than 20,000 blocks; a dashboard refresh reads
 * only the blocks since the last one; a reorganisation inside the margin is seen.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPublicClient, encodeFunctionData, http, parseAbi, type Address, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { executeBatch } from "../../../custos/actions/execute.js";
import { lock, unlock } from "../../../custos/actions/lock.js";
import { findAccountsOfOwner } from "../../../custos/backup/chain.js";
import type { CustosDeployment } from "../../../custos/deployments.js";
import { findAccountsByOwner, findGuardedAccounts, listFactoryAccounts } from "../../../custos/state/findAccounts.js";
import { readAccountEvents } from "../../../custos/state/events.js";
import { configureLogReads, logReader } from "../../../custos/state/logs.js";
import { readAccountState } from "../../../custos/state/readAccountState.js";
import { listTokenApprovals } from "../../../custos/tokens/listTokenApprovals.js";
import { demoConfig, startLocalChain, type LocalChain } from "../../helpers/localChain.js";
import { REFUSALS, startRpcProxy, type RpcProxy } from "./helpers/rpcProxy.js";

const CAP = 1_000n;
const tokenAbi = parseAbi(["function approve(address spender, uint256 value)"]);
const fresh = () => privateKeyToAccount(generatePrivateKey());

describe("reads through an RPC capped at 1,000 blocks per eth_getLogs", { timeout: 240_000 }, () => {
  let chain: LocalChain;
  let proxy: RpcProxy;
  let deployment: CustosDeployment;
  let owner: PrivateKeyAccount;
  let guardian: PrivateKeyAccount;
  let account: Address;
  let token: Address;
  const spender = fresh().address;
  const config = () => demoConfig([guardian.address], 1);

  /** A client through the capped proxy, as the dApp or CLI would have: its own reader and cache. */
  const cappedClient = (url = proxy.url) =>
    createPublicClient({ chain: chain.client.chain, transport: http(url, { retryCount: 0 }) }) as PublicClient;
  const head = () => chain.client.getBlockNumber({ cacheTime: 0 });

  /** hardhat_mine: Hardhat's node mines any number of empty blocks at once. */
  const mine = (blocks: number) =>
    chain.client.request({ method: "hardhat_mine" as "eth_chainId", params: [`0x${blocks.toString(16)}`] as never });

  before(async () => {
    chain = await startLocalChain(8811);
    proxy = await startRpcProxy({ port: 8820, upstream: chain.rpcUrl, cap: CAP });
    deployment = chain.deployment;
    owner = await chain.fundedKey();
    guardian = await chain.fundedKey();
    await mine(10_000);
    account = await chain.createAccount(owner.address, config());
    await mine(5_000);
    token = await chain.deployArtifact("contracts/test/TestERC20.sol", "TestERC20");
    await executeBatch(chain.client, chain.wallet(owner), {
      account,
      calls: [
        {
          to: token,
          value: 0n,
          data: encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [spender, 1234n] }),
        },
      ],
      fromBlock: BigInt(deployment.deploymentBlock),
    });
    await mine(5_000);
    await lock(chain.client, chain.wallet(guardian), { account, fromBlock: BigInt(deployment.deploymentBlock) });
    await mine(50); // inside the 300 s lock period (each mined block is one second later)
    assert.ok((await head()) > 20_000n, "the chain is longer than 20,000 blocks");
  });

  after(async () => {
    await proxy?.stop();
    await chain?.stop();
  });

  it("main's unbounded reads are refused by the cap", async () => {
    const client = cappedClient();
    await assert.rejects(
      client.getLogs({ address: account, fromBlock: BigInt(deployment.deploymentBlock), toBlock: "latest" }),
      /exceed maximum block range: 1000/,
    );
  });

  it("reads the account state, events, token approvals and accounts correctly", async () => {
    const client = cappedClient();
    const fromBlock = BigInt(deployment.deploymentBlock);
    const state = await readAccountState(client, account, { fromBlock });
    assert.equal(state.owner, owner.address);
    assert.deepEqual(state.config.guardians, [guardian.address]);
    assert.equal(state.locked, true);
    assert.deepEqual(
      [...state.activity].reverse().map((e) => e.eventName),
      (await readAccountEvents(chain.client, account, { fromBlock })).map((e) => e.eventName),
      "the same events as read from the chain directly",
    );
    assert.ok(state.activity.some((e) => e.eventName === "Locked"));

    const approvals = await listTokenApprovals(client, account, { fromBlock });
    assert.deepEqual(approvals, [{ kind: "erc20", token, spender, allowance: 1234n }]);

    const options = { factory: deployment.factory, fromBlock };
    assert.deepEqual([...(await listFactoryAccounts(client, options))], [account]);
    assert.deepEqual(
      (await findGuardedAccounts(client, guardian.address, options)).map((g) => g.account),
      [account],
    );
    assert.deepEqual(await findAccountsByOwner(client, owner.address, options), [account]);
    assert.deepEqual(
      await findAccountsOfOwner(client, { owner: owner.address, factory: deployment.factory, fromBlock }),
      [{ account, createdWithThisOwner: true }],
    );

    const reader = logReader(client);
    assert.ok(proxy.stats.refused >= 1, "the default 2,000-block range was refused once");
    assert.ok(reader.range <= CAP, `the reader settled on ${reader.range} blocks per call`);
  });

  it("a dashboard refresh reads only the blocks since the last one", async () => {
    const fromBlock = BigInt(deployment.deploymentBlock);
    const blocks = await head();
    // Before (main): three eth_getLogs from the deployment block to the head on every refresh.
    const mainLogBlocks = 3n * (blocks - fromBlock + 1n);

    const client = cappedClient();
    const reader = configureLogReads(client, { maxBlockRange: CAP });
    const refresh = async () => {
      const state = await readAccountState(client, account, { fromBlock });
      const approvals = await listTokenApprovals(client, account, { fromBlock });
      return { state, approvals };
    };
    proxy.reset();
    await refresh();
    const first = { calls: proxy.total(), logs: proxy.stats.calls.eth_getLogs ?? 0, blocks: proxy.stats.logBlocks };

    await mine(3);
    await unlock(chain.client, chain.wallet(guardian), { account, fromBlock });
    proxy.reset();
    const { state } = await refresh();
    const again = { calls: proxy.total(), logs: proxy.stats.calls.eth_getLogs ?? 0, blocks: proxy.stats.logBlocks };
    assert.equal(state.locked, false);
    assert.equal(state.activity[0]!.eventName, "Unlocked", "the new event is seen");

    // Three filters (account events, Approval, ApprovalForAll): one call each, margin + new blocks.
    assert.equal(again.logs, 3);
    assert.ok(again.blocks <= 3n * (reader.reorgMargin + 4n), `refresh read ${again.blocks} blocks`);
    assert.equal(proxy.stats.refused, 0);
    console.log(
      [
        `dashboard refresh (account state + token approvals) on a ${blocks}-block chain, account created at block ${state.activity.at(-1)!.blockNumber}:`,
        `  before (main):  3 eth_getLogs covering ${mainLogBlocks} blocks on every refresh; refused by a ${CAP}-block cap`,
        `  after, first:   ${first.calls} RPC calls, ${first.logs} eth_getLogs covering ${first.blocks} blocks`,
        `  after, refresh: ${again.calls} RPC calls, ${again.logs} eth_getLogs covering ${again.blocks} blocks`,
      ].join("\n"),
    );
  });

  it("token approvals are read from the account's creation block, not block 0", async () => {
    const client = cappedClient();
    configureLogReads(client, { maxBlockRange: CAP });
    await readAccountEvents(client, account, { fromBlock: BigInt(deployment.deploymentBlock) });
    proxy.reset();
    await listTokenApprovals(client, account, { fromBlock: BigInt(deployment.deploymentBlock) });
    const created = (await readAccountEvents(chain.client, account))[0]!.blockNumber;
    assert.ok(created > 10_000n);
    const span = (await head()) - created + 1n;
    // Two filters (Approval, ApprovalForAll) from the creation block; the account's events are cached.
    assert.ok(proxy.stats.logBlocks <= 2n * span + 2n * 8n, `read ${proxy.stats.logBlocks} blocks`);
  });

  it("falls back to the provider's hint, or to halving, whatever the refusal says", async () => {
    for (const [port, refusal] of [
      [8821, REFUSALS.hint],
      [8822, REFUSALS.plain],
    ] as const) {
      const other = await startRpcProxy({ port, upstream: chain.rpcUrl, cap: CAP, refusal });
      try {
        const client = cappedClient(other.url);
        const reader = configureLogReads(client, { maxBlockRange: 5_000 });
        const events = await readAccountEvents(client, account, { fromBlock: BigInt(deployment.deploymentBlock) });
        assert.ok(events.some((e) => e.eventName === "Unlocked"));
        assert.ok(reader.range <= CAP, `settled on ${reader.range}`);
        assert.ok(other.stats.refused <= 3, `${other.stats.refused} refusals`);
      } finally {
        await other.stop();
      }
    }
  });

  it("a reorganisation inside the margin drops the orphaned logs", async () => {
    const client = cappedClient();
    const fromBlock = BigInt(deployment.deploymentBlock);
    const reader = logReader(client);
    const tokenLogs = async () => (await reader.getLogs({ address: token }, { fromBlock })).length;
    const before = await tokenLogs();
    const snapshot = await chain.client.request({ method: "evm_snapshot" as "eth_chainId" });
    await executeBatch(chain.client, chain.wallet(owner), {
      account,
      calls: [
        {
          to: token,
          value: 0n,
          data: encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [fresh().address, 1n] }),
        },
      ],
      fromBlock,
    });
    assert.equal(await tokenLogs(), before + 1, "the new approval is read");
    await chain.client.request({ method: "evm_revert" as "eth_chainId", params: [snapshot] as never });
    await mine(2);
    assert.equal(await tokenLogs(), before, "the orphaned approval is gone after the reorganisation");
  });
});
