import type { PublicClient } from "viem";

/**
 * The time the chain's next transaction will see: the pending block's timestamp when the node offers
 * one (it already counts wall-clock time since the last block and any development-node time travel),
 * never earlier than the latest block. An idle local chain's latest block can be minutes old, so
 * "x min left" computed from it alone would never count down.
 */
export async function chainTime(client: PublicClient): Promise<bigint> {
  const [latest, pending] = await Promise.all([
    client.getBlock({ blockTag: "latest" }),
    client.getBlock({ blockTag: "pending" }).catch(() => undefined),
  ]);
  return pending && pending.timestamp > latest.timestamp ? pending.timestamp : latest.timestamp;
}
