/**
 * A Kysely dialect over Node's built-in `node:sqlite` (Kysely 0.29 ships one for better-sqlite3 only).
 * One connection, serialised by Kysely's connection mutex. WAL mode, and a busy timeout that waits
 * without blocking the event loop: SQLite's own handler is kept short and a statement that still
 * finds the file locked by another process is retried asynchronously until `busyTimeoutMs` passed.
 * Transactions begin IMMEDIATE (they take the write lock at BEGIN), so a busy statement is only ever
 * a BEGIN or an autocommit statement, and retrying it is safe.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from "kysely";

export interface NodeSqliteOptions {
  /** File path, or ":memory:". */
  file: string;
  /** How long a statement waits for another process's lock before failing (default 5 s). */
  busyTimeoutMs?: number;
}

const SQLITE_BUSY = 5;
const STATEMENT_CACHE = 256;

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  return typeof code === "number" && (code & 0xff) === SQLITE_BUSY;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function bindable(value: unknown): SQLInputValue {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as SQLInputValue;
}

class NodeSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    private readonly db: DatabaseSync,
    private readonly busyTimeoutMs: number,
  ) {}

  private prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private runOnce<R>(sql: string, parameters: readonly unknown[]): QueryResult<R> {
    const statement = this.prepare(sql);
    const args = parameters.map(bindable);
    if (statement.columns().length > 0) return { rows: statement.all(...args) as R[] };
    const { changes, lastInsertRowid } = statement.run(...args);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        return this.runOnce<R>(query.sql, query.parameters);
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
        await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
      }
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not supported by the node:sqlite driver");
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

class NodeSqliteDriver implements Driver {
  private connection?: NodeSqliteConnection;

  constructor(private readonly options: NodeSqliteOptions) {}

  async init(): Promise<void> {
    const { file } = this.options;
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new DatabaseSync(file);
    // SQLite's own (blocking) wait stays short; the connection's async retry covers the rest.
    db.exec("PRAGMA busy_timeout = 20");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    this.connection = new NodeSqliteConnection(db, this.options.busyTimeoutMs ?? 5_000);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("BEGIN IMMEDIATE"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("COMMIT"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("ROLLBACK"));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.connection?.close();
    this.connection = undefined;
  }
}

export class NodeSqliteDialect implements Dialect {
  constructor(private readonly options: NodeSqliteOptions) {}
  createDriver(): Driver {
    return new NodeSqliteDriver(this.options);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
