import {
  concat,
  encodeDeployData,
  getContractAddress,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
  type Account,
} from "viem";
import { readArtifact, readEntryPointArtifact } from "./artifacts.js";
import { findDeploymentBlock } from "./deploymentBlock.js";
import {
  CUSTOS_SALT,
  DETERMINISTIC_DEPLOYER,
  DETERMINISTIC_DEPLOYER_RUNTIME,
  ENTRY_POINT_ADDRESS,
  ENTRY_POINT_SALT,
  GAS_CAPS,
  type DelayBounds,
} from "./constants.js";
import type { CustosDeployment } from "../deployments.js";

export interface DeployClients {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
}

/** Installs the deterministic deployer on a local development chain that lacks it (Hardhat). */
export async function ensureDeterministicDeployer({ publicClient }: Pick<DeployClients, "publicClient">) {
  const code = await publicClient.getCode({ address: DETERMINISTIC_DEPLOYER });
  if (code && code !== "0x") return;
  for (const method of ["hardhat_setCode", "anvil_setCode"] as const) {
    try {
      await publicClient.request({
        method: method as "eth_chainId",
        params: [DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_RUNTIME] as unknown as undefined,
      });
      return;
    } catch {
      // try the next development-node flavour
    }
  }
  throw new Error(
    `the deterministic deployer ${DETERMINISTIC_DEPLOYER} is missing on this chain and cannot be installed: ` +
      "broadcast its presigned deployment transaction first",
  );
}

/**
 * Deploys `initCode` through the deterministic deployer with `salt` unless it is already there.
 * Returns the address (the same on every chain) and whether this call deployed it.
 */
export async function deployDeterministic(
  { publicClient, walletClient }: DeployClients,
  salt: Hex,
  initCode: Hex,
): Promise<{ address: Address; deployed: boolean; blockNumber?: bigint }> {
  const address = getContractAddress({ opcode: "CREATE2", from: DETERMINISTIC_DEPLOYER, salt, bytecode: initCode });
  const existing = await publicClient.getCode({ address });
  if (existing && existing !== "0x") return { address, deployed: false };
  const hash = await walletClient.sendTransaction({
    to: DETERMINISTIC_DEPLOYER,
    data: concat([salt, initCode]),
    chain: walletClient.chain,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const code = await publicClient.getCode({ address });
  if (receipt.status !== "success" || !code || code === "0x") {
    throw new Error(`deterministic deployment to ${address} failed (transaction ${hash})`);
  }
  return { address, deployed: true, blockNumber: receipt.blockNumber };
}

/**
 * Deploys EntryPoint v0.8 at its canonical address (when absent), then the Custos implementation
 * and factory through CREATE2, and returns the deployment record written to `deployments/`.
 */
export async function deployCustos(
  clients: DeployClients,
  options: { network: string; bounds: DelayBounds; previous?: CustosDeployment },
): Promise<CustosDeployment> {
  await ensureDeterministicDeployer(clients);
  const chainId = await clients.publicClient.getChainId();

  const entryPointArtifact = readEntryPointArtifact();
  const entryPoint = await deployDeterministic(clients, ENTRY_POINT_SALT, entryPointArtifact.bytecode);
  if (entryPoint.address.toLowerCase() !== ENTRY_POINT_ADDRESS.toLowerCase()) {
    throw new Error(`EntryPoint landed at ${entryPoint.address}, not at ${ENTRY_POINT_ADDRESS}`);
  }

  const account = readArtifact("contracts/account/CustosAccount.sol", "CustosAccount");
  const implementationArgs = [ENTRY_POINT_ADDRESS, options.bounds, GAS_CAPS] as const;
  const implementation = await deployDeterministic(
    clients,
    CUSTOS_SALT,
    encodeDeployData({ abi: account.abi, bytecode: account.bytecode, args: implementationArgs }),
  );

  const factoryArtifact = readArtifact("contracts/factory/CustosFactory.sol", "CustosFactory");
  const factory = await deployDeterministic(
    clients,
    CUSTOS_SALT,
    encodeDeployData({ abi: factoryArtifact.abi, bytecode: factoryArtifact.bytecode, args: [implementation.address] }),
  );

  const sameAsBefore =
    options.previous?.chainId === chainId && options.previous.factory.toLowerCase() === factory.address.toLowerCase();
  const deploymentBlock =
    factory.blockNumber ??
    (sameAsBefore
      ? BigInt(options.previous!.deploymentBlock)
      : await findDeploymentBlock(clients.publicClient, factory.address));

  return {
    network: options.network,
    chainId,
    entryPoint: ENTRY_POINT_ADDRESS,
    implementation: implementation.address,
    factory: factory.address,
    deploymentBlock: Number(deploymentBlock),
    salt: CUSTOS_SALT,
    constructorArgs: {
      implementation: { entryPoint: ENTRY_POINT_ADDRESS, bounds: options.bounds },
      factory: { implementation: implementation.address },
    },
  };
}
