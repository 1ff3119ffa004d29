/**
 * The watcher's log index in the database (R1): the raw logs of every followed Custos account, and
 * the token approvals those accounts gave (ERC-20/721 Approval and ApprovalForAll, whose topic 1 is
 * the owner), written in the watcher's scan transaction and dropped with everything else on a
 * reorganisation (server/alerts/store.ts rewindTo). Read back page by page for /api/logs.
 */
import { getAddress, pad, toEventSelector, type Address, type Hex, type Log } from "viem";
import type { Database } from "../db/index.js";

/** Topic 0 of the token approvals the index keeps (Approval is the same for ERC-20 and ERC-721). */
export const APPROVAL_TOPICS: readonly Hex[] = [
  toEventSelector("Approval(address,address,uint256)"),
  toEventSelector("ApprovalForAll(address,address,bool)"),
];

/** What the index can answer: every log one account emitted, or the approvals one account gave. */
export type IndexedQuery = { kind: "emitted"; address: Address } | { kind: "approvals"; owner: Address; topic0: Hex[] };

const lower = (value: string) => value.toLowerCase();

/** Stores logs (as read by eth_getLogs); a log already stored (same block and index) is kept. */
export async function storeLogs(db: Database, chainId: number, logs: readonly Log[]): Promise<void> {
  for (let i = 0; i < logs.length; i += 200) {
    const rows = logs.slice(i, i + 200).map((log) => ({
      chain_id: chainId,
      block_number: Number(log.blockNumber),
      log_index: Number(log.logIndex),
      block_hash: lower(log.blockHash!),
      tx_hash: lower(log.transactionHash!),
      tx_index: Number(log.transactionIndex),
      address: lower(log.address),
      topic0: log.topics[0] ? lower(log.topics[0]) : null,
      topic1: log.topics[1] ? lower(log.topics[1]) : null,
      topic2: log.topics[2] ? lower(log.topics[2]) : null,
      topic3: log.topics[3] ? lower(log.topics[3]) : null,
      data: lower(log.data),
    }));
    if (rows.length > 0) {
      await db
        .insertInto("chain_logs")
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}

/** Forgets the logs of blocks after `ancestor` (a reorganisation). */
export async function dropLogsAfter(db: Database, chainId: number, ancestor: bigint): Promise<void> {
  await db
    .deleteFrom("chain_logs")
    .where("chain_id", "=", chainId)
    .where("block_number", ">", Number(ancestor))
    .execute();
}

/** Records that the index is complete from `fromBlock` on, unless an earlier start is recorded. */
export async function markIndexStart(db: Database, chainId: number, fromBlock: bigint): Promise<void> {
  await db
    .insertInto("chain_log_index")
    .values({ chain_id: chainId, from_block: Number(fromBlock) })
    .onConflict((oc) => oc.column("chain_id").doNothing())
    .execute();
}

export interface IndexState {
  /** The first block from which the index is complete. */
  fromBlock: bigint;
  /** The last block scanned, and its hash. */
  head: bigint;
  headHash: Hex | null;
}

/** Where the index of `chainId` starts and ends, or undefined when the watcher has not scanned it yet. */
export async function indexState(db: Database, chainId: number): Promise<IndexState | undefined> {
  const row = await db
    .selectFrom("chain_log_index")
    .innerJoin("alert_cursor", "alert_cursor.chain_id", "chain_log_index.chain_id")
    .select(["chain_log_index.from_block", "alert_cursor.block_number", "alert_cursor.block_hash"])
    .where("chain_log_index.chain_id", "=", chainId)
    .executeTakeFirst();
  if (!row || row.block_number < row.from_block) return undefined;
  return {
    fromBlock: BigInt(row.from_block),
    head: BigInt(row.block_number),
    headHash: row.block_hash as Hex | null,
  };
}

/** Whether the watcher follows `account` (its logs are in the index from its creation). */
export async function isFollowed(db: Database, chainId: number, account: Address): Promise<boolean> {
  const row = await db
    .selectFrom("alert_accounts")
    .select("account")
    .where("chain_id", "=", chainId)
    .where("account", "=", getAddress(account))
    .executeTakeFirst();
  return row !== undefined;
}

export interface LogPage {
  /** The logs of every block in [fromBlock, toBlock], oldest first. */
  logs: IndexedLog[];
  toBlock: bigint;
  /** True when the page stopped before the asked toBlock because it was full. */
  more: boolean;
}

/** A log as JSON-RPC's eth_getLogs returns it (hex quantities). */
export interface IndexedLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  logIndex: Hex;
  removed: false;
}

const hex = (n: number) => `0x${n.toString(16)}` as Hex;

/**
 * The logs answering `query` in [fromBlock, toBlock], at most about `limit`: a page always ends at a
 * block boundary (a block is never split), so a block holding more than `limit` matching logs is
 * returned whole.
 */
export async function readLogPage(
  db: Database,
  chainId: number,
  query: IndexedQuery,
  fromBlock: bigint,
  toBlock: bigint,
  limit: number,
): Promise<LogPage> {
  let select = db
    .selectFrom("chain_logs")
    .selectAll()
    .where("chain_id", "=", chainId)
    .where("block_number", ">=", Number(fromBlock))
    .where("block_number", "<=", Number(toBlock));
  select =
    query.kind === "emitted"
      ? select.where("address", "=", lower(query.address))
      : select.where("topic1", "=", lower(pad(query.owner))).where("topic0", "in", query.topic0.map(lower));
  const rows = await select
    .orderBy("block_number")
    .orderBy("log_index")
    .limit(limit + 1)
    .execute();
  let end = toBlock;
  let more = false;
  let kept = rows;
  if (rows.length > limit) {
    const last = rows[limit]!.block_number;
    more = true;
    if (rows[0]!.block_number === last) {
      // One block holds more than `limit` logs: return that whole block.
      kept = await select.where("block_number", "=", last).orderBy("log_index").execute();
      end = BigInt(last);
    } else {
      kept = rows.filter((r) => r.block_number < last);
      end = BigInt(last) - 1n;
    }
  }
  return {
    toBlock: end,
    more: more && end < toBlock,
    logs: kept.map((r) => ({
      address: r.address as Hex,
      topics: [r.topic0, r.topic1, r.topic2, r.topic3].filter((t): t is string => t !== null) as Hex[],
      data: r.data as Hex,
      blockNumber: hex(r.block_number),
      blockHash: r.block_hash as Hex,
      transactionHash: r.tx_hash as Hex,
      transactionIndex: hex(r.tx_index),
      logIndex: hex(r.log_index),
      removed: false,
    })),
  };
}
