/**
 * The tables of the Custos server, as Kysely sees them (one database for alerts, approvals and the
 * watcher's lease). Times are unix milliseconds unless the column name says seconds; block numbers
 * and times are BIGINT on Postgres and come back as numbers on both engines.
 */
import type { Generated } from "kysely";

export interface AlertSubscriptionsTable {
  id: string;
  chain_id: number;
  account: string;
  role: "owner" | "guardian";
  channel: "email" | "webhook";
  target: string;
  /** JSON array of alert kinds. */
  events: string;
  webhook_secret: string | null;
  confirm_token_hash: string | null;
  /** Unix seconds. */
  confirm_expires_at: number;
  unsubscribe_token: string;
  status: "pending" | "active" | "unsubscribed";
  /** Unix seconds. */
  created_at: number;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

export interface AlertCursorTable {
  chain_id: number;
  block_number: number;
  block_hash: string | null;
}

export interface AlertBlocksTable {
  chain_id: number;
  block_number: number;
  block_hash: string;
}

export interface AlertAccountsTable {
  chain_id: number;
  account: string;
  block_number: number;
}

export interface AlertEventsTable {
  id: Generated<number>;
  event_key: string;
  chain_id: number;
  account: string;
  kind: string;
  tx_hash: string;
  block_number: number;
  block_hash: string;
  log_index: number;
  /** Unix seconds. */
  block_time: number;
  /** JSON object. */
  data: string;
  orphaned: Generated<number>;
  /** Unix seconds. */
  seen_at: number;
}

export interface AlertOutboxTable {
  id: Generated<number>;
  event_id: number;
  subscription_id: string;
  status: "pending" | "sending" | "sent" | "cancelled" | "failed";
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  sent_at: number | null;
}

export interface ApprovalRequestsTable {
  id: string;
  kind: string;
  chain_id: number;
  account: string;
  new_owner: string;
  /** The canonical portable request JSON. */
  body: string;
  created_at: number;
}

export interface ApprovalSignaturesTable {
  request_id: string;
  signer: string;
  /** The canonical signed-approval JSON. */
  body: string;
  created_at: number;
}

export interface ServerLeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

/** A raw log the watcher indexed (hex strings lower-case, as JSON-RPC returns them). */
export interface ChainLogsTable {
  chain_id: number;
  block_number: number;
  log_index: number;
  block_hash: string;
  tx_hash: string;
  tx_index: number;
  address: string;
  topic0: string | null;
  topic1: string | null;
  topic2: string | null;
  topic3: string | null;
  data: string;
}

export interface ChainLogIndexTable {
  chain_id: number;
  /** The first block from which chain_logs is complete for this chain. */
  from_block: number;
}

export interface Tables {
  alert_subscriptions: AlertSubscriptionsTable;
  alert_cursor: AlertCursorTable;
  alert_blocks: AlertBlocksTable;
  alert_accounts: AlertAccountsTable;
  alert_events: AlertEventsTable;
  alert_outbox: AlertOutboxTable;
  approval_requests: ApprovalRequestsTable;
  approval_signatures: ApprovalSignaturesTable;
  server_leases: ServerLeasesTable;
  chain_logs: ChainLogsTable;
  chain_log_index: ChainLogIndexTable;
}
