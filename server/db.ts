/**
 * The one embedded database of the Custos server side (alert subscriptions, the watcher's state and
 * the dApp's approval collection): SQLite through Node's built-in `node:sqlite`, in WAL mode so the
 * watcher and the dApp's API can use the same file at once.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";

export type Database = DatabaseSync;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Default location: env CUSTOS_DB, else `.data/custos.sqlite` at the repository root. */
export function defaultDatabasePath(): string {
  return process.env.CUSTOS_DB ?? path.join(REPO_ROOT, ".data", "custos.sqlite");
}

/**
 * Opens (creating when absent) the database at `file` (default: {@link defaultDatabasePath}).
 * `":memory:"` gives a private in-memory database. Each caller creates its own tables, prefixed
 * with its feature name (`alert_…`, `approval_…`).
 */
export function openDatabase(file: string = defaultDatabasePath()): Database {
  if (file !== ":memory:") {
    const dir = path.dirname(path.resolve(file));
    mkdirSync(dir, { recursive: true });
    // Keep the default data folder out of version control without touching the repository's .gitignore.
    const ignore = path.join(dir, ".gitignore");
    if (dir === path.join(REPO_ROOT, ".data") && !existsSync(ignore)) writeFileSync(ignore, "*\n");
  }
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}
