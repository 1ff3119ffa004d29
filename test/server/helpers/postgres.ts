/**
 * A throwaway Postgres 15 server for tests (Debian's binaries in /usr/lib/postgresql/15/bin): a data
 * folder under /tmp owned by `postgres`, trust authentication on 127.0.0.1 only, stopped and removed
 * by `stop()`. As root the commands run as the postgres user (initdb refuses root).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";

const BIN = process.env.CUSTOS_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface TestPostgres {
  /** URL of the `postgres` database. */
  url: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function asPostgres(command: string, args: string[]) {
  const quoted = [path.join(BIN, command), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  if (userInfo().uid === 0) execFileSync("su", ["postgres", "-c", quoted], { stdio: "pipe" });
  else execFileSync(path.join(BIN, command), args, { stdio: "pipe" });
}

export function postgresAvailable(): boolean {
  return existsSync(path.join(BIN, "initdb"));
}

export async function startPostgres(port: number): Promise<TestPostgres> {
  if (!postgresAvailable()) {
    throw new Error(`Postgres 15 is not installed (${BIN}): apt-get install -y postgresql`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "custos-pg-"));
  chmodSync(dir, 0o700);
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  try {
    asPostgres("initdb", ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync"]);
    asPostgres("pg_ctl", [
      "-D",
      dir,
      "-o",
      `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c max_connections=200`,
      "-l",
      path.join(dir, "log"),
      "-w",
      "start",
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Postgres did not start on port ${port}: ${(error as { stderr?: Buffer }).stderr ?? error}`, {
      cause: error,
    });
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        asPostgres("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
