/**
 * The watcher's state in the database: cursor, recent block hashes, followed accounts, seen events.
 * Every function takes the database or a transaction of it (the watcher groups a range's writes in one).
 */
import { createHash } from "node:crypto";
import { getAddress, type Address, type Hex } from "viem";
import type { Database } from "../db/index.js";
import type { AlertData, AlertEvent, AlertKind } from "./events.js";
import { dropLogsAfter } from "../logs/store.js";

export interface Cursor {
  blockNumber: bigint;
  blockHash: Hex | null;
}

export async function getCursor(db: Database, chainId: number): Promise<Cursor | undefined> {
  const row = await db
    .selectFrom("alert_cursor")
    .select(["block_number", "block_hash"])
    .where("chain_id", "=", chainId)
    .executeTakeFirst();
  return row ? { blockNumber: BigInt(row.block_number), blockHash: row.block_hash as Hex | null } : undefined;
}

export async function setCursor(db: Database, chainId: number, blockNumber: bigint, blockHash: Hex | null) {
  await db
    .insertInto("alert_cursor")
    .values({ chain_id: chainId, block_number: Number(blockNumber), block_hash: blockHash })
    .onConflict((oc) =>
      oc.column("chain_id").doUpdateSet((eb) => ({
        block_number: eb.ref("excluded.block_number"),
        block_hash: eb.ref("excluded.block_hash"),
      })),
    )
    .execute();
}

export async function recordBlock(db: Database, chainId: number, blockNumber: bigint, blockHash: Hex) {
  await db
    .insertInto("alert_blocks")
    .values({ chain_id: chainId, block_number: Number(blockNumber), block_hash: blockHash })
    .onConflict((oc) =>
      oc.columns(["chain_id", "block_number"]).doUpdateSet((eb) => ({ block_hash: eb.ref("excluded.block_hash") })),
    )
    .execute();
}

/** Forgets hashes of blocks older than `below` (deeper than any reorganisation we expect). */
export async function pruneBlocks(db: Database, chainId: number, below: bigint) {
  await db
    .deleteFrom("alert_blocks")
    .where("chain_id", "=", chainId)
    .where("block_number", "<", Number(below))
    .execute();
}

/** Remembered block hashes, newest first. */
export async function recentBlocks(db: Database, chainId: number): Promise<{ blockNumber: bigint; blockHash: Hex }[]> {
  const rows = await db
    .selectFrom("alert_blocks")
    .select(["block_number", "block_hash"])
    .where("chain_id", "=", chainId)
    .orderBy("block_number", "desc")
    .execute();
  return rows.map((r) => ({ blockNumber: BigInt(r.block_number), blockHash: r.block_hash as Hex }));
}

/**
 * Undoes everything learnt from blocks after `ancestor`: their hashes, accounts and indexed logs are
 * forgotten, their events marked orphaned and their undelivered alerts cancelled. Alerts already sent stay sent.
 */
export async function rewindTo(db: Database, chainId: number, ancestor: bigint, ancestorHash: Hex | null) {
  const after = Number(ancestor);
  await db.deleteFrom("alert_blocks").where("chain_id", "=", chainId).where("block_number", ">", after).execute();
  await db.deleteFrom("alert_accounts").where("chain_id", "=", chainId).where("block_number", ">", after).execute();
  await dropLogsAfter(db, chainId, ancestor);
  await db
    .updateTable("alert_outbox")
    .set({ status: "cancelled", last_error: "event removed by a chain reorganisation" })
    .where("status", "in", ["pending", "sending"])
    .where("event_id", "in", (eb) =>
      eb
        .selectFrom("alert_events")
        .select("id")
        .where("chain_id", "=", chainId)
        .where("block_number", ">", after)
        .where("orphaned", "=", 0),
    )
    .execute();
  const result = await db
    .updateTable("alert_events")
    .set({ orphaned: 1 })
    .where("chain_id", "=", chainId)
    .where("block_number", ">", after)
    .where("orphaned", "=", 0)
    .executeTakeFirst();
  await setCursor(db, chainId, ancestor, ancestorHash);
  return Number(result.numUpdatedRows);
}

export async function addAccount(db: Database, chainId: number, account: Address, blockNumber: bigint) {
  await db
    .insertInto("alert_accounts")
    .values({ chain_id: chainId, account: getAddress(account), block_number: Number(blockNumber) })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function followedAccounts(db: Database, chainId: number): Promise<Address[]> {
  const rows = await db
    .selectFrom("alert_accounts")
    .select("account")
    .where("chain_id", "=", chainId)
    .orderBy("account")
    .execute();
  return rows.map((r) => r.account as Address);
}

/**
 * Identity of an event across reorganisations (the dedupe rule, see README): chain, transaction,
 * emitting account, event signature and the ordinal of that (account, signature) inside the
 * transaction. Block hash and log index are left out on purpose: both change when the same
 * transaction is re-included in another block, and then it is still the same event.
 */
export function eventKey(event: AlertEvent, ordinal: number): string {
  const raw = [event.chainId, event.txHash, event.account, event.topic, ordinal].join(":").toLowerCase();
  return createHash("sha256").update(raw).digest("hex");
}

export interface StoredEvent {
  id: number;
  eventKey: string;
  chainId: number;
  account: Address;
  kind: AlertKind;
  txHash: Hex;
  blockNumber: number;
  blockHash: Hex;
  logIndex: number;
  blockTime: number;
  data: AlertData;
  orphaned: boolean;
}

/**
 * Records an event. Returns `new` the first time its identity is seen, `revived` when an orphaned
 * event reappears (its cancelled alerts are re-queued), `known` otherwise.
 */
export async function recordEvent(
  db: Database,
  event: AlertEvent,
  key: string,
  blockTime: number,
  now: number,
): Promise<{ id: number; state: "new" | "revived" | "known" }> {
  const existing = await db
    .selectFrom("alert_events")
    .select(["id", "orphaned"])
    .where("event_key", "=", key)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable("alert_events")
      .set({
        block_number: Number(event.blockNumber),
        block_hash: event.blockHash,
        log_index: event.logIndex,
        block_time: blockTime,
        orphaned: 0,
      })
      .where("id", "=", existing.id)
      .execute();
    if (Number(existing.orphaned) === 0) return { id: existing.id, state: "known" };
    await db
      .updateTable("alert_outbox")
      .set({ status: "pending", next_attempt_at: now, last_error: null })
      .where("event_id", "=", existing.id)
      .where("status", "=", "cancelled")
      .execute();
    return { id: existing.id, state: "revived" };
  }
  const inserted = await db
    .insertInto("alert_events")
    .values({
      event_key: key,
      chain_id: event.chainId,
      account: getAddress(event.account),
      kind: event.kind,
      tx_hash: event.txHash,
      block_number: Number(event.blockNumber),
      block_hash: event.blockHash,
      log_index: event.logIndex,
      block_time: blockTime,
      data: JSON.stringify(event.data),
      seen_at: now,
    })
    .onConflict((oc) => oc.column("event_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  // Another watcher recorded it between our read and our insert: it is known, and queued by that one.
  if (!inserted) return { id: (await eventIdOf(db, key))!, state: "known" };
  return { id: Number(inserted.id), state: "new" };
}

async function eventIdOf(db: Database, key: string): Promise<number | undefined> {
  const row = await db.selectFrom("alert_events").select("id").where("event_key", "=", key).executeTakeFirst();
  return row?.id;
}

export async function getEvent(db: Database, id: number): Promise<StoredEvent | undefined> {
  const row = await db.selectFrom("alert_events").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: Number(row.id),
    eventKey: row.event_key,
    chainId: row.chain_id,
    account: row.account as Address,
    kind: row.kind as AlertKind,
    txHash: row.tx_hash as Hex,
    blockNumber: row.block_number,
    blockHash: row.block_hash as Hex,
    logIndex: row.log_index,
    blockTime: row.block_time,
    data: JSON.parse(row.data) as AlertData,
    orphaned: Number(row.orphaned) === 1,
  };
}
