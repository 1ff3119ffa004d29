/**
 * The one database of the Custos server side (alert subscriptions and the watcher's state, the
 * dApp's approval collection, the watcher's lease): SQLite through `node:sqlite` by default, or
 * Postgres, through the same Kysely queries. Chosen by env CUSTOS_DATABASE_URL:
 *
 *   unset                      SQLite file .data/custos.sqlite under the working directory
 *   /path/file.sqlite          SQLite file (also `sqlite:<path>` / `file:<path>`, or `:memory:`)
 *   postgres://user@host/db    Postgres (also `postgresql://`)
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { isPostgres, migrateToLatest } from "./migrations.js";
import { NodeSqliteDialect } from "./sqliteDialect.js";
import type { Tables } from "./tables.js";

export type Database = Kysely<Tables>;
export type { Tables } from "./tables.js";
export { isPostgres } from "./migrations.js";

export type DatabaseConfig =
  { engine: "sqlite"; file: string; busyTimeoutMs?: number } | { engine: "postgres"; url: string; poolSize?: number };

export const DATABASE_URL_ENV = "CUSTOS_DATABASE_URL";

/** The default SQLite file: `.data/custos.sqlite` under the working directory (never a build-time path). */
export function defaultSqliteFile(cwd = process.cwd()): string {
  return path.join(cwd, ".data", "custos.sqlite");
}

/** Reads a database location (a postgres:// URL, a SQLite path or `sqlite:`/`file:` URL). */
export function parseDatabaseUrl(value: string | undefined): DatabaseConfig {
  const text = value?.trim();
  if (!text) return { engine: "sqlite", file: defaultSqliteFile() };
  if (/^postgres(ql)?:\/\//i.test(text)) return { engine: "postgres", url: text };
  const file = text.replace(/^(sqlite|file):(\/\/)?/i, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
    throw new Error(`${DATABASE_URL_ENV}: "${text}" is neither a postgres:// URL nor a SQLite file path`);
  }
  return { engine: "sqlite", file };
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return parseDatabaseUrl(env[DATABASE_URL_ENV]);
}

/** Where the data lives, for logs (a Postgres URL without its password). */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.engine === "sqlite") return `SQLite ${config.file}`;
  const url = new URL(config.url);
  if (url.password) url.password = "***";
  return `Postgres ${url.href}`;
}

/** BIGINT (int8) columns hold block numbers and millisecond times: numbers, not strings. */
const INT8 = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const pools = new WeakMap<Database, pg.Pool>();

/** The pg pool behind a Postgres database (shared stores such as the rate limits use it), else undefined. */
export function postgresPool(db: Database): pg.Pool | undefined {
  return pools.get(db);
}

/** Opens the database and brings its schema up to date. Close it with `db.destroy()`. */
export async function openDatabase(config: DatabaseConfig = databaseConfigFromEnv()): Promise<Database> {
  let db: Database;
  if (config.engine === "postgres") {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10, types: pgTypes });
    // An idle connection dropped by the server (restart, failover) is replaced on next use: log, do not crash.
    pool.on("error", (error) => console.error(`[database] idle Postgres connection lost: ${error.message}`));
    db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
  } else {
    if (config.file !== ":memory:") keepOutOfGit(config.file);
    db = new Kysely<Tables>({
      dialect: new NodeSqliteDialect({ file: config.file, busyTimeoutMs: config.busyTimeoutMs }),
    });
  }
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** The default data folder is created with a .gitignore, so it never lands in version control. */
function keepOutOfGit(file: string) {
  const dir = path.dirname(path.resolve(file));
  if (path.basename(dir) !== ".data") return;
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, ".gitignore");
  if (!existsSync(ignore)) {
    try {
      writeFileSync(ignore, "*\n", { flag: "wx" });
    } catch {
      // another process wrote it first
    }
  }
}

/** Engine name, for reports. */
export function engineOf(db: Database): "sqlite" | "postgres" {
  return isPostgres(db) ? "postgres" : "sqlite";
}
