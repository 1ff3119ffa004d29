/**
 * R3: `npm run deploy -- --network X` deploys to each network configured from the environment, one
 * deployments file per chain; the addresses are the same on two chains with different chain ids; the
 * deployment block recorded is the true one, also when the contracts were already there.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { deployCustos } from "../../../custos/deploy/deployCustos.js";
import { findDeploymentBlock } from "../../../custos/deploy/deploymentBlock.js";
import { deploymentPath, readDeployment, readDeploymentForChain } from "../../../custos/deployments.js";
import { ANVIL_DEV_KEY, startAnvil, type Anvil } from "./helpers/anvil.js";

const run = promisify(execFile);
const NETWORKS = { "custos-test-a": { port: 8813, chainId: 71_001 }, "custos-test-b": { port: 8814, chainId: 71_002 } };

/** The real deploy script, as `npm run deploy -- --network <name>` runs it. */
async function deploy(network: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CUSTOS_NETWORKS: Object.keys(NETWORKS).join(","),
    CUSTOS_DEPLOYER_KEY: ANVIL_DEV_KEY,
  };
  for (const [name, { port }] of Object.entries(NETWORKS)) {
    env[`CUSTOS_RPC_URL_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`] = `http://127.0.0.1:${port}`;
  }
  const { stdout } = await run("npx", ["hardhat", "run", "--no-compile", "scripts/deploy.ts", "--network", network], {
    env,
    timeout: 180_000,
  });
  return stdout;
}

describe("several chains", { timeout: 400_000 }, () => {
  const chains: Anvil[] = [];

  before(async () => {
    for (const { port, chainId } of Object.values(NETWORKS)) chains.push(await startAnvil({ port, chainId }));
  });
  after(async () => {
    for (const name of Object.keys(NETWORKS)) rmSync(deploymentPath(name), { force: true });
    await Promise.all(chains.map((c) => c.stop()));
  });

  it("deploys to two chains from configuration, one file each, at the same addresses", async () => {
    await chains[1]!.mine(25); // the chains differ in height: the blocks recorded differ, the addresses not
    for (const name of Object.keys(NETWORKS)) assert.match(await deploy(name), /factory/);
    const [a, b] = Object.keys(NETWORKS).map((name) => readDeployment(name)!);
    assert.equal(a!.chainId, 71_001);
    assert.equal(b!.chainId, 71_002);
    for (const field of ["entryPoint", "implementation", "factory"] as const) assert.equal(a![field], b![field]);
    assert.notEqual(a!.deploymentBlock, b!.deploymentBlock);
    assert.equal(readDeploymentForChain(71_002)?.network, "custos-test-b");
    for (const [i, d] of [a!, b!].entries()) {
      assert.equal(await findDeploymentBlock(chains[i]!.client, d.factory), BigInt(d.deploymentBlock));
    }
  });

  it("records the true deployment block when the contracts already exist", async () => {
    const chain = chains[0]!;
    const first = readDeployment("custos-test-a")!;
    await chain.mine(40);
    const again = await deployCustos(
      { publicClient: chain.client, walletClient: chain.funder },
      {
        network: "custos-test-a",
        bounds: first.constructorArgs.implementation.bounds,
      },
    );
    assert.equal(again.factory, first.factory);
    assert.equal(again.deploymentBlock, first.deploymentBlock, "not the current block");
  });
});
