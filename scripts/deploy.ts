/**
 * Deploys Custos to the network chosen with `--network` (Hardhat config): EntryPoint v0.8 at its
 * canonical address when absent, then the implementation and factory through CREATE2, and writes
 * deployments/<network>.json. Delay bounds: demo bounds on local chains (chain id 31337), production
 * bounds elsewhere; override with CUSTOS_BOUNDS=demo|production.
 */
import { network } from "hardhat";
import { createPublicClient, createWalletClient, custom, defineChain, type Address } from "viem";
import { DEMO_BOUNDS, PRODUCTION_BOUNDS } from "../custos/index.js";
import { deployCustos, readDeployment, writeDeployment } from "../custos/node.js";

async function main() {
  const connection = await network.getOrCreate();
  const transport = custom(connection.provider);
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: connection.networkName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const publicClient = createPublicClient({ chain, transport });
  const [deployer] = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
  if (!deployer) throw new Error(`network ${connection.networkName} has no deployer account configured`);
  const walletClient = createWalletClient({ account: deployer, chain, transport });

  const choice = process.env.CUSTOS_BOUNDS ?? (chainId === 31337 ? "demo" : "production");
  if (choice !== "demo" && choice !== "production") throw new Error(`CUSTOS_BOUNDS must be demo or production`);
  const bounds = choice === "demo" ? DEMO_BOUNDS : PRODUCTION_BOUNDS;

  const name = connection.networkName === "default" ? "hardhat" : connection.networkName;
  const deployment = await deployCustos(
    { publicClient, walletClient },
    { network: name, bounds, previous: readDeployment(name) },
  );
  const file = writeDeployment(deployment);
  console.log(`Custos on ${name} (chain ${chainId}, ${choice} delay bounds)`);
  console.log(`  EntryPoint v0.8  ${deployment.entryPoint}`);
  console.log(`  implementation   ${deployment.implementation}`);
  console.log(`  factory          ${deployment.factory}`);
  console.log(`  written to       ${file}`);
}

main().catch((error: unknown) => {
  const short = (error as { shortMessage?: string }).shortMessage;
  console.error(`deploy failed: ${short ?? (error instanceof Error ? error.message : String(error))}`);
  process.exitCode = 1;
});
