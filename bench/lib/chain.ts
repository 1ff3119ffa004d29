import { network } from "hardhat";
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readArtifact } from "../../custos/deploy/artifacts.js";

/** The in-process chain the benchmark runs on, with the funded EOA that sends every transaction. */
export interface BenchChain {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain, Account>;
  transport: Transport;
  chain: Chain;
  sender: Address;
}

/** Connects to Hardhat's in-process network and picks its first unlocked account as the sender. */
export async function connectChain(): Promise<BenchChain> {
  const connection = await network.getOrCreate();
  const transport = custom(connection.provider);
  const chainId = await createPublicClient({ transport }).getChainId();
  const chain = defineChain({
    id: chainId,
    name: "bench",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const publicClient = createPublicClient({ chain, transport });
  const [sender] = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
  if (!sender) throw new Error("the benchmark network has no unlocked account");
  const walletClient = createWalletClient({ account: sender, chain, transport });
  return { publicClient, walletClient, transport, chain, sender };
}

/** Connects to a node over HTTP (the bundler's chain) with `privateKey` as the sender. */
export function connectRpc(rpcUrl: string, chain: Chain, privateKey: Hex): BenchChain {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 });
  const account = privateKeyToAccount(privateKey);
  const walletClient = createWalletClient({ account, chain, transport });
  return { publicClient, walletClient, transport, chain, sender: account.address };
}

/** Every transaction the benchmark waited for, in order (read by the gas profiler, bench/trace.ts). */
export const txLog: { what: string; hash: Hash }[] = [];

/** Waits for `hash` and returns its gasUsed; throws when the transaction reverted. */
export async function gasOf(bench: BenchChain, hash: Hash, what: string): Promise<bigint> {
  txLog.push({ what, hash });
  const receipt = await bench.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${what}: transaction ${hash} reverted`);
  return receipt.gasUsed;
}

/** Deploys a compiled contract from `artifacts/` and returns its address. */
export async function deployArtifact(
  bench: BenchChain,
  sourcePath: string,
  name: string,
  args: readonly unknown[] = [],
): Promise<Address> {
  const { abi, bytecode } = readArtifact(sourcePath, name);
  const hash = await bench.walletClient.deployContract({ abi, bytecode, args });
  const receipt = await bench.publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error(`deploying ${name} failed`);
  return receipt.contractAddress;
}

/** Sends plain ETH from the sender. */
export async function fund(bench: BenchChain, to: Address, value: bigint): Promise<void> {
  await gasOf(bench, await bench.walletClient.sendTransaction({ to, value }), `funding ${to}`);
}

/** Moves the chain's clock forward by `seconds` and mines a block. */
export async function increaseTime(bench: BenchChain, seconds: bigint): Promise<void> {
  await bench.publicClient.request({ method: "evm_increaseTime" as "eth_chainId", params: [Number(seconds)] as never });
  await bench.publicClient.request({ method: "evm_mine" as "eth_chainId", params: [] as never });
}

/** Timestamp of the latest block. */
export async function now(bench: BenchChain): Promise<bigint> {
  return (await bench.publicClient.getBlock()).timestamp;
}
