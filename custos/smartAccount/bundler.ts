import { http, type Chain, type PublicClient, type Transport } from "viem";
import { createBundlerClient, type BundlerClient, type SmartAccount } from "viem/account-abstraction";

export interface GasPrice {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

interface PimlicoGasPrice {
  slow: { maxFeePerGas: `0x${string}`; maxPriorityFeePerGas: `0x${string}` };
  standard: { maxFeePerGas: `0x${string}`; maxPriorityFeePerGas: `0x${string}` };
  fast: { maxFeePerGas: `0x${string}`; maxPriorityFeePerGas: `0x${string}` };
}

/**
 * Fees a bundler accepts: alto's `pimlico_getUserOperationGasPrice` ("standard") when the bundler
 * offers it, otherwise the chain's own EIP-1559 estimate (works on a local Hardhat node).
 */
export async function estimateUserOperationFees(
  bundlerClient: Pick<BundlerClient, "request">,
  client: PublicClient,
): Promise<GasPrice> {
  try {
    const prices = (await bundlerClient.request({
      method: "pimlico_getUserOperationGasPrice" as "eth_chainId",
    })) as unknown as PimlicoGasPrice;
    return {
      maxFeePerGas: BigInt(prices.standard.maxFeePerGas),
      maxPriorityFeePerGas: BigInt(prices.standard.maxPriorityFeePerGas),
    };
  } catch {
    const fees = await client.estimateFeesPerGas();
    return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  }
}

export type CustosBundlerClient<account extends SmartAccount | undefined = SmartAccount> = BundlerClient<
  Transport,
  Chain | undefined,
  account
>;

/** A viem bundler client for a Custos account: no paymaster (the account pays its own gas). */
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
    userOperation: {
      estimateFeesPerGas: async () => estimateUserOperationFees(bundlerClient, client),
    },
  }) as CustosBundlerClient<account>;
  return bundlerClient;
}
