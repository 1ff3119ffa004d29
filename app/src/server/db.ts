import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

/**
 * The approval store (D5): requests and guardian signatures, nothing secret. SQLite file from
 * CUSTOS_DB_PATH (default app/.data/custos.sqlite). See app/README.md for the Postgres path.
 */
let db: DatabaseSync | undefined;

export function database(): DatabaseSync {
  if (db) return db;
  const file = process.env.CUSTOS_DB_PATH ?? path.join(process.cwd(), ".data", "custos.sqlite");
  mkdirSync(path.dirname(file), { recursive: true });
  db = new DatabaseSync(file);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS requests (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      chain_id INTEGER NOT NULL,
      account TEXT NOT NULL,
      new_owner TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS approvals (
      request_id TEXT NOT NULL REFERENCES requests(id),
      signer TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (request_id, signer)
    );
    CREATE INDEX IF NOT EXISTS requests_account ON requests(account);
  `);
  return db;
}

export interface StoredRequest {
  id: string;
  body: string;
}

export function insertRequest(
  id: string,
  kind: string,
  chainId: number,
  account: string,
  newOwner: string,
  body: string,
) {
  database()
    .prepare(
      "INSERT OR IGNORE INTO requests (id, kind, chain_id, account, new_owner, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .run(id, kind, chainId, account, newOwner, body, Date.now());
}

export function getRequest(id: string): StoredRequest | undefined {
  const row = database().prepare("SELECT id, body FROM requests WHERE id = ?").get(id) as
    { id: string; body: string } | undefined;
  return row ? { id: row.id, body: row.body } : undefined;
}

export function listApprovals(requestId: string): string[] {
  const rows = database()
    .prepare("SELECT body FROM approvals WHERE request_id = ? ORDER BY created_at")
    .all(requestId) as { body: string }[];
  return rows.map((r) => r.body);
}

/** False when this signer already approved this request. */
export function insertApproval(requestId: string, signer: string, body: string): boolean {
  const result = database()
    .prepare("INSERT OR IGNORE INTO approvals (request_id, signer, body, created_at) VALUES (?, ?, ?, ?)")
    .run(requestId, signer.toLowerCase(), body, Date.now());
  return Number(result.changes) === 1;
}
