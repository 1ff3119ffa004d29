import { http, rpcSchema, type PublicClient } from "viem";
import { createBundlerClient, type SmartAccount } from "viem/account-abstraction";
import {
  pimlicoUserOperationGasPrice,
  type PimlicoRpcSchema,
  type VendorBundlerClient,
} from "../userop/vendorMethods.js";

export interface GasPrice {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** Base fees can rise 12.5 % per full block: twice the current one stays valid for several blocks. */
const BASE_FEE_HEADROOM = 2n;

/** The median priority fee of the last blocks (eth_feeHistory), for nodes without eth_maxPriorityFeePerGas. */
async function feeHistoryTip(client: PublicClient): Promise<bigint> {
  const history = await client.getFeeHistory({ blockCount: 5, rewardPercentiles: [50] });
  const tips = (history.reward ?? []).map((r) => r[0] ?? 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return tips[Math.floor(tips.length / 2)] ?? 0n;
}

/**
 * EIP-1559 fees from the chain with standard methods only: the latest block's base fee (twice, for
 * headroom) plus the node's eth_maxPriorityFeePerGas, or the median tip of eth_feeHistory when the
 * node lacks it. A chain without base fee gets its gas price for both.
 */
export async function chainFees(client: PublicClient): Promise<GasPrice> {
  const block = await client.getBlock({ blockTag: "latest" });
  if (block.baseFeePerGas === null) {
    const gasPrice = await client.getGasPrice();
    return { maxFeePerGas: gasPrice, maxPriorityFeePerGas: gasPrice };
  }
  const tip = await client.estimateMaxPriorityFeePerGas().catch(() => feeHistoryTip(client));
  return { maxFeePerGas: block.baseFeePerGas * BASE_FEE_HEADROOM + tip, maxPriorityFeePerGas: tip };
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Fees for a UserOperation: the chain's own (standard methods), raised to the bundler's
 * `pimlico_getUserOperationGasPrice` "standard" price when the bundler offers that method (a
 * bundler refuses operations below its price). Whether it offers it is asked once per bundler.
 */
export async function estimateUserOperationFees(
  bundlerClient: Pick<VendorBundlerClient, "request" | "transport" | "uid">,
  client: PublicClient,
): Promise<GasPrice> {
  const [chain, vendor] = await Promise.all([chainFees(client), pimlicoUserOperationGasPrice(bundlerClient)]);
  if (!vendor) return chain;
  return {
    maxFeePerGas: max(chain.maxFeePerGas, BigInt(vendor.standard.maxFeePerGas)),
    maxPriorityFeePerGas: max(chain.maxPriorityFeePerGas, BigInt(vendor.standard.maxPriorityFeePerGas)),
  };
}

export type CustosBundlerClient<account extends SmartAccount | undefined = SmartAccount> = VendorBundlerClient<account>;

/**
 * A viem bundler client for a Custos account on any ERC-4337 bundler: no paymaster (the account pays
 * its own gas); its `request` also knows the vendor methods used when the bundler offers them.
 */
export function createCustosBundlerClient<account extends SmartAccount | undefined>({
  client,
  account,
  bundlerUrl,
}: {
  client: PublicClient;
  account: account;
  bundlerUrl: string;
}): CustosBundlerClient<account> {
  const bundlerClient: CustosBundlerClient<account> = createBundlerClient({
    client,
    account,
    chain: client.chain,
    transport: http(bundlerUrl, { retryCount: 0 }),
    paymaster: undefined,
    pollingInterval: 100,
    rpcSchema: rpcSchema<PimlicoRpcSchema>(),
    userOperation: {
      estimateFeesPerGas: async () => estimateUserOperationFees(bundlerClient, client),
    },
  });
  return bundlerClient;
}
