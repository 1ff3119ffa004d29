/**
 * R3, "the dApp and the CLI choose the chain": two anvil chains with different ids, each deployed
 * and configured (CUSTOS_NETWORKS, CUSTOS_RPC_URL_<NAME>); the dApp's same-origin proxies (the real
 * handlers of /api/rpc and /api/bundler, on a real HTTP server) forward `?chainId=` to that chain's
 * node and refuse a chain they do not serve; the CLI reads an account's state on the second chain,
 * chosen by id or by name, and refuses an RPC that serves the other one.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Address } from "viem";
import { getFactoryData, normalizeConfig, predictAccountAddress } from "../../../custos/config.js";
import { DEMO_BOUNDS } from "../../../custos/deploy/constants.js";
import { deployCustos } from "../../../custos/deploy/deployCustos.js";
import { deploymentPath, writeDeployment, type CustosDeployment } from "../../../custos/deployments.js";
import { buildApprovalRequest } from "../../../custos/approvals/build.js";
import { encodeApprovalRequest } from "../../../custos/approvals/portable.js";
import { approvalApi } from "../../../server/approvals/api.js";
import { chainClient } from "../../../server/chain.js";
import { openDatabase, type Database } from "../../../server/db/index.js";
import { servedChain, servedChains, servedDeployment } from "../../../server/deployment.js";
import { limiter } from "../../../server/http/rateLimit.js";
import { proxyByChain } from "../../../server/rpc/chains.js";
import { serve, type Served } from "../../server/helpers/serve.js";
import { startAnvil, type Anvil } from "./helpers/anvil.js";

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const A = { network: "custos-chains-a", port: 9300, chainId: 71_011 };
const B = { network: "custos-chains-b", port: 9301, chainId: 71_012 };
const SERVER_PORT = 9302;

const ENV: NodeJS.ProcessEnv = {
  CUSTOS_NETWORK: A.network,
  CUSTOS_NETWORKS: `${A.network},${B.network},custos-chains-undeployed`,
  CUSTOS_RPC_URL: `http://127.0.0.1:${A.port}`,
  CUSTOS_BUNDLER_URL: "http://127.0.0.1:9309",
  CUSTOS_RPC_URL_CUSTOS_CHAINS_B: `http://127.0.0.1:${B.port}`,
  CUSTOS_RPC_URL_CUSTOS_CHAINS_UNDEPLOYED: "http://127.0.0.1:9",
  CUSTOS_DEPLOYMENTS_DIR: path.join(ROOT, "deployments"),
};

async function rpc(url: string, method: string, params: unknown[] = []) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return { status: res.status, body: (await res.json()) as { result?: string; error?: { message: string } } };
}

/** The real CLI, as `npm run custos -- …` runs it. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/custos.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, CUSTOS_NETWORK: "", CUSTOS_CHAIN_ID: "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr: "" };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("choosing the chain: two anvil chains with different ids", { timeout: 120_000 }, () => {
  const chains: Anvil[] = [];
  const deployments: CustosDeployment[] = [];
  let server: Served;
  let db: Database;
  let account: Address;
  const owner = privateKeyToAccount(generatePrivateKey());

  before(async () => {
    for (const c of [A, B]) chains.push(await startAnvil({ port: c.port, chainId: c.chainId }));
    await chains[1]!.mine(30);
    for (const [i, c] of [A, B].entries()) {
      const chain = chains[i]!;
      const d = await deployCustos(
        { publicClient: chain.client, walletClient: chain.funder },
        { network: c.network, bounds: DEMO_BOUNDS },
      );
      writeDeployment(d);
      deployments.push(d);
    }
    // An account on the second chain only.
    const config = normalizeConfig({
      guardians: [privateKeyToAccount(generatePrivateKey()).address],
      threshold: 1,
      recoveryDelay: 120n,
      securityPeriod: 30n,
      securityWindow: 60n,
      lockPeriod: 300n,
    });
    const b = chains[1]!;
    const hash = await b.funder.sendTransaction({
      to: deployments[1]!.factory,
      data: getFactoryData(owner.address, config, 0n),
      chain: b.chain,
    });
    await b.client.waitForTransactionReceipt({ hash });
    account = await predictAccountAddress(b.client, deployments[1]!.factory, owner.address, config, 0n);
    db = await openDatabase({ engine: "sqlite", file: ":memory:" });
    const approvals = approvalApi({
      db,
      client: chainClient(ENV.CUSTOS_RPC_URL),
      deployment: () => servedDeployment(ENV),
      otherChain: (id) => {
        const c = servedChain(id, ENV);
        return c ? { client: chainClient(c.rpcUrl), deployment: c.deployment } : undefined;
      },
      writes: limiter("chains-test", { points: 100, durationSeconds: 60 }, "Too many writes."),
    });
    server = await serve(SERVER_PORT, [
      ["POST", /^\/api\/requests$/, (r) => approvals.createRequest(r)],
      ["POST", /^\/api\/rpc$/, (r) => proxyByChain(r, "rpc", ENV)],
      ["POST", /^\/api\/bundler$/, (r) => proxyByChain(r, "bundler", ENV)],
    ]);
  });

  after(async () => {
    await server?.close();
    await db?.destroy();
    for (const c of [A, B]) rmSync(deploymentPath(c.network), { force: true });
    await Promise.all(chains.map((c) => c.stop()));
  });

  it("serves the configured chains that have a deployment and an RPC URL, the default first", () => {
    assert.deepEqual(
      servedChains(ENV).map((c) => [c.network, c.chainId, c.rpcUrl, c.bundlerUrl]),
      [
        [A.network, A.chainId, ENV.CUSTOS_RPC_URL, ENV.CUSTOS_BUNDLER_URL],
        [B.network, B.chainId, ENV.CUSTOS_RPC_URL_CUSTOS_CHAINS_B, undefined],
      ],
    );
  });

  it("the RPC proxy forwards ?chainId= to that chain's node", async () => {
    const of = async (query: string) => (await rpc(`${server.url}/api/rpc${query}`, "eth_chainId")).body.result;
    assert.equal(await of(`?chainId=${A.chainId}`), `0x${A.chainId.toString(16)}`);
    assert.equal(await of(`?chainId=${B.chainId}`), `0x${B.chainId.toString(16)}`);
    assert.equal(await of(""), `0x${A.chainId.toString(16)}`, "no chainId: the default network");
    const code = await rpc(`${server.url}/api/rpc?chainId=${B.chainId}`, "eth_getCode", [account, "latest"]);
    assert.ok(code.body.result!.length > 2, "the account exists on the second chain");
    const onA = await rpc(`${server.url}/api/rpc?chainId=${A.chainId}`, "eth_getCode", [account, "latest"]);
    assert.equal(onA.body.result, "0x", "and not on the first");
  });

  it("refuses a chain it does not serve, a malformed id, and a chain without a bundler", async () => {
    const unknown = await rpc(`${server.url}/api/rpc?chainId=999`, "eth_chainId");
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error!.message, /serves no chain 999; it serves 71011 \(custos-chains-a\), 71012/);
    const malformed = await rpc(`${server.url}/api/rpc?chainId=0x1`, "eth_chainId");
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error!.message, /chainId must be a chain id in decimal/);
    const noBundler = await rpc(`${server.url}/api/bundler?chainId=${B.chainId}`, "eth_supportedEntryPoints");
    assert.equal(noBundler.status, 404);
    assert.match(noBundler.body.error!.message, /No bundler is configured for chain 71012/);
    const undeployed = await rpc(`${server.url}/api/rpc?chainId=31337`, "eth_chainId");
    assert.equal(undeployed.status, 404, "a configured network without a deployment file is not served");
  });

  it("keeps each chain's allowlist: a development method is refused on the second chain too", async () => {
    const refused = await rpc(`${server.url}/api/rpc?chainId=${B.chainId}`, "anvil_setBalance", [account, "0x1"]);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error!.message, /not available through this dApp/);
  });

  it("the CLI reads the account's state on the second chain, chosen by id or by name", async () => {
    const env = { CUSTOS_RPC_URL_CUSTOS_CHAINS_B: `http://127.0.0.1:${B.port}` };
    for (const chain of [String(B.chainId), B.network]) {
      const status = await cli(["status", "--account", account, "--chain", chain, "--json"], env);
      assert.equal(status.code, 0, status.stderr);
      const state = JSON.parse(status.stdout) as { owner: string; chainId: number; config: { threshold: unknown } };
      assert.equal(state.owner, owner.address);
      assert.equal(state.chainId, B.chainId);
    }
    const wrong = await cli(["status", "--account", account, "--chain", String(B.chainId)], {
      CUSTOS_RPC_URL_CUSTOS_CHAINS_B: `http://127.0.0.1:${A.port}`,
    });
    assert.notEqual(wrong.code, 0);
    assert.match(
      wrong.stderr,
      /wrong network: .* is chain 71011 but deployments\/custos-chains-b\.json is for chain 71012/,
    );
    const none = await cli(["status", "--account", account, "--chain", "4040"]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /no deployment for chain 4040/);
  });

  it("the approval API takes a request for the second chain, checked against that chain's node", async () => {
    const request = await buildApprovalRequest(chains[1]!.client, {
      account,
      kind: "Recovery",
      newOwner: privateKeyToAccount(generatePrivateKey()).address,
    });
    const post = async (body: unknown) => {
      const res = await fetch(`${server.url}/api/requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { id?: string; error?: { code: string } } };
    };
    const stored = await post({ request: encodeApprovalRequest(request) });
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const elsewhere = await post({ request: encodeApprovalRequest({ ...request, chainId: 999 }) });
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.body.error!.code, "WRONG_CHAIN");
    const onFirst = await post({ request: encodeApprovalRequest({ ...request, chainId: A.chainId }) });
    assert.equal(onFirst.status, 400, "the account does not exist on the first chain");
  });
});
