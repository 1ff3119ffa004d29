/**
 * Safe 1.4.1 as published on npm (`@safe-global/safe-contracts`), deployed with viem onto a test chain
 * to act as a contract guardian. What a Safe guardian does (the Safe transaction, its typed data, the
 * `execTransaction` call) comes from the client library's custos/guardians/safe.ts; this file only puts
 * the Safe's contracts on the chain and has its owners sign.
 */
import { createRequire } from "node:module";
import {
  encodeFunctionData,
  getAddress,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { buildSafeTransaction, safeExecTransactionCall, safeTransactionTypedData } from "../../../custos/index.js";
import type { Call, SenderClient } from "../../../custos/actions/types.js";

const require = createRequire(import.meta.url);
const ARTIFACTS = "@safe-global/safe-contracts/build/artifacts/contracts";

interface SafeArtifact {
  abi: Abi;
  bytecode: Hex;
}

const artifact = (path: string) => require(`${ARTIFACTS}/${path}`) as SafeArtifact;
const SINGLETON = artifact("Safe.sol/Safe.json");
const PROXY_FACTORY = artifact("proxies/SafeProxyFactory.sol/SafeProxyFactory.json");
const FALLBACK_HANDLER = artifact("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json");

/** The Safe singleton, its proxy factory and the fallback handler that makes a Safe answer ERC-1271. */
export interface SafeStack {
  singleton: Address;
  factory: Address;
  fallbackHandler: Address;
}

async function deploy(client: PublicClient, deployer: SenderClient, { abi, bytecode }: SafeArtifact) {
  const hash = await deployer.deployContract({ abi, bytecode, chain: deployer.chain, account: deployer.account });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error("Safe contract deployment failed");
  return getAddress(receipt.contractAddress);
}

export async function deploySafeStack(client: PublicClient, deployer: SenderClient): Promise<SafeStack> {
  return {
    singleton: await deploy(client, deployer, SINGLETON),
    factory: await deploy(client, deployer, PROXY_FACTORY),
    fallbackHandler: await deploy(client, deployer, FALLBACK_HANDLER),
  };
}

/** A new Safe proxy owned by `owners` with `threshold`, through the proxy factory as the Safe apps do. */
export async function createSafe(
  client: PublicClient,
  deployer: SenderClient,
  stack: SafeStack,
  owners: readonly Address[],
  threshold: number,
  salt = 0n,
): Promise<Address> {
  const initializer = encodeFunctionData({
    abi: SINGLETON.abi,
    functionName: "setup",
    args: [owners, BigInt(threshold), zeroAddress, "0x", stack.fallbackHandler, zeroAddress, 0n, zeroAddress],
  });
  const args = [stack.singleton, initializer, salt] as const;
  const { result } = await client.simulateContract({
    address: stack.factory,
    abi: PROXY_FACTORY.abi,
    functionName: "createProxyWithNonce",
    args,
    account: deployer.account,
  });
  const hash = await deployer.writeContract({
    address: stack.factory,
    abi: PROXY_FACTORY.abi,
    functionName: "createProxyWithNonce",
    args,
    chain: deployer.chain,
    account: deployer.account,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error("Safe creation failed");
  return getAddress(result as Address);
}

/**
 * The Safe makes `call`: the library builds the Safe transaction, `signers` (owners of the Safe) sign
 * its typed data, and `sender` (anyone with ETH) sends `execTransaction`. Resolves to the receipt.
 */
export async function execFromSafe(
  client: PublicClient,
  sender: SenderClient,
  safe: Address,
  signers: readonly LocalAccount[],
  call: Call,
) {
  const tx = await buildSafeTransaction(client, safe, call);
  const typed = safeTransactionTypedData(tx);
  const signatures = await Promise.all(
    signers.map(async (signer) => ({ owner: signer.address, signature: await signer.signTypedData(typed) })),
  );
  const exec = safeExecTransactionCall(tx, signatures, signers.length);
  const hash = await sender.sendTransaction({
    to: exec.to,
    data: exec.data,
    value: exec.value,
    chain: sender.chain,
    account: sender.account,
  });
  return client.waitForTransactionReceipt({ hash });
}
