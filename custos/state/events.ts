import { decodeEventLog, type Address, type Hash, type PublicClient } from "viem";
import { custosAccountAbi } from "../generated/abis.js";
import { logReader } from "./logs.js";

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

/**
 * Every event the account emitted since `fromBlock`, decoded with the account ABI, oldest first.
 * Read through the client's log reader: chunked, and incremental on repeated calls.
 */
export async function readAccountEvents(
  client: PublicClient,
  account: Address,
  { fromBlock = 0n, toBlock }: { fromBlock?: bigint; toBlock?: bigint } = {},
): Promise<AccountEvent[]> {
  const logs = await logReader(client).getLogs({ address: account }, { fromBlock, toBlock });
  const times = await blockTimesByHash(
    client,
    logs.map((log) => ({ number: log.blockNumber!, hash: log.blockHash! })),
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
      timestamp: times.get(log.blockHash!)!,
    });
  }
  return events;
}

/**
 * The block where the account emitted its first event: its creation (initialisation emits
 * OwnerChanged and ConfigApplied), or undefined when it emitted none since `fromBlock`.
 */
export async function accountCreationBlock(
  client: PublicClient,
  account: Address,
  { fromBlock = 0n }: { fromBlock?: bigint } = {},
): Promise<bigint | undefined> {
  const first = await logReader(client).firstLog({ address: account }, { fromBlock });
  return first?.blockNumber ?? undefined;
}

/** Block timestamps by block hash, per client: a hash names one block forever, so they never go stale. */
const timeCache = new WeakMap<object, Map<Hash, bigint>>();

async function blockTimesByHash(
  client: PublicClient,
  blocks: readonly { number: bigint; hash: Hash }[],
): Promise<Map<Hash, bigint>> {
  let cache = timeCache.get(client);
  if (!cache) {
    cache = new Map();
    timeCache.set(client, cache);
  }
  if (cache.size > 10_000) cache.clear(); // bounded: a long-lived page must not grow without end
  const known = cache;
  const missing = [...new Map(blocks.filter((b) => !known.has(b.hash)).map((b) => [b.hash, b])).values()];
  const fetched = await Promise.all(missing.map((b) => client.getBlock({ blockHash: b.hash })));
  for (const block of fetched) known.set(block.hash!, block.timestamp);
  return known;
}
