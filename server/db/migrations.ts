/**
 * Every table of the server, in one ordered list of migrations run by Kysely's migrator at start
 * (it takes a lock, so several app instances and watchers starting at once migrate once). The same
 * migrations serve SQLite and Postgres; the only difference is how an auto-increment key is spelt.
 */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";
import { Migrator, type Migration } from "kysely/migration";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function serialKey(db: AnyDb) {
  return isPostgres(db)
    ? ({ type: "bigint", build: (c: ColumnBuilder) => c.primaryKey().generatedByDefaultAsIdentity() } as const)
    : ({ type: "integer", build: (c: ColumnBuilder) => c.primaryKey().autoIncrement() } as const);
}
type ColumnBuilder = ColumnDefinitionBuilder;

const alerts: Migration = {
  async up(db: AnyDb) {
    const key = serialKey(db);
    await db.schema
      .createTable("alert_subscriptions")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("account", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull().check(sql`role IN ('owner', 'guardian')`))
      .addColumn("channel", "text", (c) => c.notNull().check(sql`channel IN ('email', 'webhook')`))
      .addColumn("target", "text", (c) => c.notNull())
      .addColumn("events", "text", (c) => c.notNull())
      .addColumn("webhook_secret", "text")
      .addColumn("confirm_token_hash", "text", (c) => c.unique())
      .addColumn("confirm_expires_at", "bigint", (c) => c.notNull())
      .addColumn("unsubscribe_token", "text", (c) => c.notNull().unique())
      .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('pending', 'active', 'unsubscribed')`))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("confirmed_at", "bigint")
      .addColumn("unsubscribed_at", "bigint")
      .execute();
    await db.schema
      .createIndex("alert_subscriptions_account")
      .ifNotExists()
      .on("alert_subscriptions")
      .columns(["chain_id", "account", "status"])
      .execute();
    await db.schema
      .createTable("alert_cursor")
      .ifNotExists()
      .addColumn("chain_id", "integer", (c) => c.primaryKey())
      .addColumn("block_number", "bigint", (c) => c.notNull())
      .addColumn("block_hash", "text")
      .execute();
    await db.schema
      .createTable("alert_blocks")
      .ifNotExists()
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("block_number", "bigint", (c) => c.notNull())
      .addColumn("block_hash", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("alert_blocks_pk", ["chain_id", "block_number"])
      .execute();
    await db.schema
      .createTable("alert_accounts")
      .ifNotExists()
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("account", "text", (c) => c.notNull())
      .addColumn("block_number", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("alert_accounts_pk", ["chain_id", "account"])
      .execute();
    await db.schema
      .createTable("alert_events")
      .ifNotExists()
      .addColumn("id", key.type, key.build)
      .addColumn("event_key", "text", (c) => c.notNull().unique())
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("account", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("tx_hash", "text", (c) => c.notNull())
      .addColumn("block_number", "bigint", (c) => c.notNull())
      .addColumn("block_hash", "text", (c) => c.notNull())
      .addColumn("log_index", "integer", (c) => c.notNull())
      .addColumn("block_time", "bigint", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("orphaned", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("seen_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("alert_events_block")
      .ifNotExists()
      .on("alert_events")
      .columns(["chain_id", "block_number"])
      .execute();
    await db.schema
      .createTable("alert_outbox")
      .ifNotExists()
      .addColumn("id", key.type, key.build)
      .addColumn("event_id", "bigint", (c) => c.notNull().references("alert_events.id"))
      .addColumn("subscription_id", "text", (c) => c.notNull().references("alert_subscriptions.id"))
      .addColumn("status", "text", (c) =>
        c.notNull().check(sql`status IN ('pending', 'sending', 'sent', 'cancelled', 'failed')`),
      )
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("sent_at", "bigint")
      .addUniqueConstraint("alert_outbox_once", ["event_id", "subscription_id"])
      .execute();
    await db.schema
      .createIndex("alert_outbox_due")
      .ifNotExists()
      .on("alert_outbox")
      .columns(["status", "next_attempt_at"])
      .execute();
  },
};

const approvals: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("approval_requests")
      .ifNotExists()
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("account", "text", (c) => c.notNull())
      .addColumn("new_owner", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("approval_requests_account")
      .ifNotExists()
      .on("approval_requests")
      .columns(["chain_id", "account"])
      .execute();
    await db.schema
      .createTable("approval_signatures")
      .ifNotExists()
      .addColumn("request_id", "text", (c) => c.notNull().references("approval_requests.id"))
      .addColumn("signer", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("approval_signatures_pk", ["request_id", "signer"])
      .execute();
  },
};

const leases: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("server_leases")
      .ifNotExists()
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("holder", "text", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
  },
};

/**
 * The watcher's log index (R1): the raw logs of every followed account and the token approvals they
 * gave (topic 1 = the account), served to clients by /api/logs; `chain_log_index.from_block` is where
 * the index is complete (the first block scanned with it, for a watcher that ran before it existed).
 */
const logIndex: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("chain_logs")
      .ifNotExists()
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("block_number", "bigint", (c) => c.notNull())
      .addColumn("log_index", "integer", (c) => c.notNull())
      .addColumn("block_hash", "text", (c) => c.notNull())
      .addColumn("tx_hash", "text", (c) => c.notNull())
      .addColumn("tx_index", "integer", (c) => c.notNull())
      .addColumn("address", "text", (c) => c.notNull())
      .addColumn("topic0", "text")
      .addColumn("topic1", "text")
      .addColumn("topic2", "text")
      .addColumn("topic3", "text")
      .addColumn("data", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("chain_logs_pk", ["chain_id", "block_number", "log_index"])
      .execute();
    await db.schema
      .createIndex("chain_logs_address")
      .ifNotExists()
      .on("chain_logs")
      .columns(["chain_id", "address", "block_number"])
      .execute();
    await db.schema
      .createIndex("chain_logs_topic1")
      .ifNotExists()
      .on("chain_logs")
      .columns(["chain_id", "topic1", "block_number"])
      .execute();
    await db.schema
      .createTable("chain_log_index")
      .ifNotExists()
      .addColumn("chain_id", "integer", (c) => c.primaryKey())
      .addColumn("from_block", "bigint", (c) => c.notNull())
      .execute();
  },
};

/** Ordered by name: add new ones at the end with the next number, never edit a released one. */
export const MIGRATIONS: Record<string, Migration> = {
  "001_alerts": alerts,
  "002_approvals": approvals,
  "003_leases": leases,
  "004_log_index": logIndex,
};

/** Brings the schema up to date; throws the failing migration's error. */
export async function migrateToLatest(db: AnyDb): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: "server_migrations",
    migrationLockTableName: "server_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "a migration";
    throw new Error(`the database could not be migrated (${failed}): ${(error as Error).message ?? String(error)}`);
  }
}
