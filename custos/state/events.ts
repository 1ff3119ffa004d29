import { decodeEventLog, type Address, type Hash, type PublicClient } from "viem";
import { custosAccountAbi } from "../generated/abis.js";

/** One decoded event of an account, with its block time: the activity list is made of these. */
export interface AccountEvent {
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hash;
  /** Unix seconds of the block. */
  timestamp: bigint;
}

/** Every event the account emitted since `fromBlock`, decoded with the account ABI, oldest first. */
export async function readAccountEvents(
  client: PublicClient,
  account: Address,
  { fromBlock = 0n, toBlock }: { fromBlock?: bigint; toBlock?: bigint } = {},
): Promise<AccountEvent[]> {
  const logs = await client.getLogs({ address: account, fromBlock, toBlock: toBlock ?? "latest" });
  const times = await blockTimes(
    client,
    logs.map((log) => log.blockNumber!),
  );
  const events: AccountEvent[] = [];
  for (const log of logs) {
    let decoded;
    try {
      decoded = decodeEventLog({ abi: custosAccountAbi, data: log.data, topics: log.topics });
    } catch {
      continue; // not an account event (cannot happen for a Custos account, but never fatal)
    }
    events.push({
      eventName: decoded.eventName,
      args: (decoded.args ?? {}) as Record<string, unknown>,
      blockNumber: log.blockNumber!,
      logIndex: log.logIndex!,
      transactionHash: log.transactionHash!,
      timestamp: times.get(log.blockNumber!)!,
    });
  }
  return events;
}

/** Timestamps of the given blocks (each fetched once). */
export async function blockTimes(client: PublicClient, blockNumbers: readonly bigint[]): Promise<Map<bigint, bigint>> {
  const unique = [...new Set(blockNumbers)];
  const blocks = await Promise.all(unique.map((blockNumber) => client.getBlock({ blockNumber })));
  return new Map(blocks.map((block) => [block.number!, block.timestamp]));
}
