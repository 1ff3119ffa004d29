import type { Database } from "../db.js";

/**
 * Tables of the alert feature (all prefixed `alert_`). Idempotent: run at every start.
 *
 * - alert_subscriptions: who wants which events of which account, through which channel.
 * - alert_cursor: the last block the watcher processed, per chain.
 * - alert_blocks: hashes of recently processed blocks, to notice a reorganisation.
 * - alert_accounts: accounts created by the factory, i.e. the addresses to follow.
 * - alert_events: every notifiable event seen, keyed by its identity (see README, "Dedupe rule").
 * - alert_outbox: one row per (event, subscription); a unique key makes every alert exist once.
 */
export function migrateAlerts(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS alert_subscriptions (
      id TEXT PRIMARY KEY,
      chain_id INTEGER NOT NULL,
      account TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('owner', 'guardian')),
      channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
      target TEXT NOT NULL,
      events TEXT NOT NULL,
      webhook_secret TEXT,
      confirm_token_hash TEXT UNIQUE,
      confirm_expires_at INTEGER NOT NULL,
      unsubscribe_token TEXT NOT NULL UNIQUE,
      status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
      created_at INTEGER NOT NULL,
      confirmed_at INTEGER,
      unsubscribed_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS alert_subscriptions_account ON alert_subscriptions (chain_id, account, status);

    CREATE TABLE IF NOT EXISTS alert_cursor (
      chain_id INTEGER PRIMARY KEY,
      block_number INTEGER NOT NULL,
      block_hash TEXT
    );

    CREATE TABLE IF NOT EXISTS alert_blocks (
      chain_id INTEGER NOT NULL,
      block_number INTEGER NOT NULL,
      block_hash TEXT NOT NULL,
      PRIMARY KEY (chain_id, block_number)
    );

    CREATE TABLE IF NOT EXISTS alert_accounts (
      chain_id INTEGER NOT NULL,
      account TEXT NOT NULL,
      block_number INTEGER NOT NULL,
      PRIMARY KEY (chain_id, account)
    );

    CREATE TABLE IF NOT EXISTS alert_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_key TEXT NOT NULL UNIQUE,
      chain_id INTEGER NOT NULL,
      account TEXT NOT NULL,
      kind TEXT NOT NULL,
      tx_hash TEXT NOT NULL,
      block_number INTEGER NOT NULL,
      block_hash TEXT NOT NULL,
      log_index INTEGER NOT NULL,
      block_time INTEGER NOT NULL,
      data TEXT NOT NULL,
      orphaned INTEGER NOT NULL DEFAULT 0,
      seen_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS alert_events_block ON alert_events (chain_id, block_number);

    CREATE TABLE IF NOT EXISTS alert_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id INTEGER NOT NULL REFERENCES alert_events (id),
      subscription_id TEXT NOT NULL REFERENCES alert_subscriptions (id),
      status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'cancelled', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT,
      sent_at INTEGER,
      UNIQUE (event_id, subscription_id)
    );
    CREATE INDEX IF NOT EXISTS alert_outbox_due ON alert_outbox (status, next_attempt_at);
  `);
}
