/**
 * The watcher's state in the database: cursor, recent block hashes, followed accounts, seen events.
 * All functions are synchronous (node:sqlite); callers group them in a transaction.
 */
import { createHash } from "node:crypto";
import { getAddress, type Address, type Hex } from "viem";
import type { Database } from "../db.js";
import type { AlertData, AlertEvent, AlertKind } from "./events.js";

export interface Cursor {
  blockNumber: bigint;
  blockHash: Hex | null;
}

export function getCursor(db: Database, chainId: number): Cursor | undefined {
  const row = db.prepare("SELECT block_number, block_hash FROM alert_cursor WHERE chain_id = ?").get(chainId) as
    { block_number: number; block_hash: string | null } | undefined;
  return row ? { blockNumber: BigInt(row.block_number), blockHash: row.block_hash as Hex | null } : undefined;
}

export function setCursor(db: Database, chainId: number, blockNumber: bigint, blockHash: Hex | null): void {
  db.prepare(
    `INSERT INTO alert_cursor (chain_id, block_number, block_hash) VALUES (?, ?, ?)
     ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash`,
  ).run(chainId, Number(blockNumber), blockHash);
}

export function recordBlock(db: Database, chainId: number, blockNumber: bigint, blockHash: Hex): void {
  db.prepare(
    `INSERT INTO alert_blocks (chain_id, block_number, block_hash) VALUES (?, ?, ?)
     ON CONFLICT (chain_id, block_number) DO UPDATE SET block_hash = excluded.block_hash`,
  ).run(chainId, Number(blockNumber), blockHash);
}

/** Forgets hashes of blocks older than `below` (deeper than any reorganisation we expect). */
export function pruneBlocks(db: Database, chainId: number, below: bigint): void {
  db.prepare("DELETE FROM alert_blocks WHERE chain_id = ? AND block_number < ?").run(chainId, Number(below));
}

/** Remembered block hashes, newest first. */
export function recentBlocks(db: Database, chainId: number): { blockNumber: bigint; blockHash: Hex }[] {
  const rows = db
    .prepare("SELECT block_number, block_hash FROM alert_blocks WHERE chain_id = ? ORDER BY block_number DESC")
    .all(chainId) as { block_number: number; block_hash: string }[];
  return rows.map((r) => ({ blockNumber: BigInt(r.block_number), blockHash: r.block_hash as Hex }));
}

/**
 * Undoes everything learnt from blocks after `ancestor`: their hashes and accounts are forgotten,
 * their events marked orphaned and their undelivered alerts cancelled. Alerts already sent stay sent.
 */
export function rewindTo(db: Database, chainId: number, ancestor: bigint, ancestorHash: Hex | null): number {
  const after = Number(ancestor);
  db.prepare("DELETE FROM alert_blocks WHERE chain_id = ? AND block_number > ?").run(chainId, after);
  db.prepare("DELETE FROM alert_accounts WHERE chain_id = ? AND block_number > ?").run(chainId, after);
  db.prepare(
    `UPDATE alert_outbox SET status = 'cancelled', last_error = 'event removed by a chain reorganisation'
     WHERE status IN ('pending', 'sending') AND event_id IN
       (SELECT id FROM alert_events WHERE chain_id = ? AND block_number > ? AND orphaned = 0)`,
  ).run(chainId, after);
  const result = db
    .prepare("UPDATE alert_events SET orphaned = 1 WHERE chain_id = ? AND block_number > ? AND orphaned = 0")
    .run(chainId, after);
  setCursor(db, chainId, ancestor, ancestorHash);
  return Number(result.changes);
}

export function addAccount(db: Database, chainId: number, account: Address, blockNumber: bigint): void {
  db.prepare("INSERT OR IGNORE INTO alert_accounts (chain_id, account, block_number) VALUES (?, ?, ?)").run(
    chainId,
    getAddress(account),
    Number(blockNumber),
  );
}

export function followedAccounts(db: Database, chainId: number): Address[] {
  const rows = db.prepare("SELECT account FROM alert_accounts WHERE chain_id = ? ORDER BY account").all(chainId) as {
    account: string;
  }[];
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
export function recordEvent(
  db: Database,
  event: AlertEvent,
  key: string,
  blockTime: number,
  now: number,
): { id: number; state: "new" | "revived" | "known" } {
  const existing = db.prepare("SELECT id, orphaned FROM alert_events WHERE event_key = ?").get(key) as
    { id: number; orphaned: number } | undefined;
  if (existing) {
    db.prepare(
      "UPDATE alert_events SET block_number = ?, block_hash = ?, log_index = ?, block_time = ?, orphaned = 0 WHERE id = ?",
    ).run(Number(event.blockNumber), event.blockHash, event.logIndex, blockTime, existing.id);
    if (existing.orphaned === 0) return { id: existing.id, state: "known" };
    db.prepare(
      `UPDATE alert_outbox SET status = 'pending', next_attempt_at = ?, last_error = NULL
       WHERE event_id = ? AND status = 'cancelled'`,
    ).run(now, existing.id);
    return { id: existing.id, state: "revived" };
  }
  const result = db
    .prepare(
      `INSERT INTO alert_events (event_key, chain_id, account, kind, tx_hash, block_number, block_hash, log_index,
         block_time, data, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      key,
      event.chainId,
      getAddress(event.account),
      event.kind,
      event.txHash,
      Number(event.blockNumber),
      event.blockHash,
      event.logIndex,
      blockTime,
      JSON.stringify(event.data),
      now,
    );
  return { id: Number(result.lastInsertRowid), state: "new" };
}

interface EventRow {
  id: number;
  event_key: string;
  chain_id: number;
  account: string;
  kind: AlertKind;
  tx_hash: string;
  block_number: number;
  block_hash: string;
  log_index: number;
  block_time: number;
  data: string;
  orphaned: number;
}

export function getEvent(db: Database, id: number): StoredEvent | undefined {
  const row = db.prepare("SELECT * FROM alert_events WHERE id = ?").get(id) as EventRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    eventKey: row.event_key,
    chainId: row.chain_id,
    account: row.account as Address,
    kind: row.kind,
    txHash: row.tx_hash as Hex,
    blockNumber: row.block_number,
    blockHash: row.block_hash as Hex,
    logIndex: row.log_index,
    blockTime: row.block_time,
    data: JSON.parse(row.data) as AlertData,
    orphaned: row.orphaned === 1,
  };
}

/** Runs `fn` in one write transaction. */
export function transaction<T>(db: Database, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
