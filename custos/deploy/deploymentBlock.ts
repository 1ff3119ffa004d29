import type { Address, PublicClient } from "viem";
import { CustosError } from "../errors.js";

/**
 * The block in which the contract at `address` was deployed: the first block whose state has its
 * code, found by binary search on `eth_getCode` (about log2(head) calls). Needs the RPC to serve
 * historical state (an archive node; development chains do); otherwise says so.
 */
export async function findDeploymentBlock(client: PublicClient, address: Address): Promise<bigint> {
  const hasCode = async (blockNumber: bigint) => {
    try {
      const code = await client.getCode({ address, blockNumber });
      return code !== undefined && code !== "0x";
    } catch (error) {
      throw new CustosError(
        "NO_HISTORICAL_STATE",
        `cannot find the block where ${address} was deployed: the RPC does not serve the state of block ${blockNumber}`,
        {
          details: "use an archive RPC for this deployment, once; the block is then kept in deployments/",
          cause: error,
        },
      );
    }
  };
  let high = await client.getBlockNumber({ cacheTime: 0 });
  if (!(await hasCode(high))) throw new CustosError("NOT_DEPLOYED", `no contract at ${address}`);
  let low = 0n;
  // Invariant: code at `high`; `low` is the first block that may have it.
  while (low < high) {
    const middle = (low + high) / 2n;
    if (await hasCode(middle)) high = middle;
    else low = middle + 1n;
  }
  return high;
}
