/**
 * The one data layer on both engines: the same queries against a SQLite file (node:sqlite) and a real
 * Postgres 15 started for this file. Migrations run once under concurrency, writes land exactly once,
 * the watcher's lease has one holder at a time, and SQLite waits out another connection's lock.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { openDatabase, parseDatabaseUrl, type Database, type DatabaseConfig } from "../../server/db/index.js";
import { acquireLease, leaseHolder, releaseLease } from "../../server/db/lease.js";
import { MIGRATIONS } from "../../server/db/migrations.js";
import { getRequest, insertApproval, insertRequest, listApprovals } from "../../server/approvals/store.js";
import { startPostgres, type TestPostgres } from "./helpers/postgres.js";

const PG_PORT = 5450;
const dir = mkdtempSync(path.join(tmpdir(), "custos-db-"));
let postgres: TestPostgres;

before(async () => {
  postgres = await startPostgres(PG_PORT);
});
after(async () => {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const request = (id: string) => ({
  id,
  kind: "Recovery",
  chainId: 31337,
  account: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  newOwner: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  body: `{"id":"${id}"}`,
});

for (const engine of ["sqlite", "postgres"] as const) {
  describe(`data layer on ${engine}`, () => {
    let config: DatabaseConfig;
    let db: Database;

    before(async () => {
      config =
        engine === "sqlite"
          ? { engine, file: path.join(dir, "store.sqlite") }
          : { engine, url: await postgres.createDatabase("store") };
      db = await openDatabase(config);
    });
    after(() => db?.destroy());

    it("migrates once when several processes open the database at the same time", async () => {
      const others = await Promise.all([1, 2, 3, 4].map(() => openDatabase(config)));
      await Promise.all(others.map((o) => o.destroy()));
      const rows = await db
        .selectFrom("server_migrations" as never)
        .selectAll()
        .execute();
      assert.equal(rows.length, Object.keys(MIGRATIONS).length);
    });

    it("stores a request once and each signer's approval once, under 200 concurrent writes", async () => {
      await Promise.all([insertRequest(db, request("a".repeat(24))), insertRequest(db, request("a".repeat(24)))]);
      assert.equal((await getRequest(db, "a".repeat(24)))?.body, `{"id":"${"a".repeat(24)}"}`);
      const signers = Array.from({ length: 100 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
      const results = await Promise.all(
        [...signers, ...signers].map((s) => insertApproval(db, "a".repeat(24), s, `{"signer":"${s}"}`)),
      );
      assert.equal(results.filter(Boolean).length, 100, "each signer is stored exactly once");
      assert.equal((await listApprovals(db, "a".repeat(24))).length, 100);
    });

    it("gives the watcher lease to one holder at a time, and to another once it expired", async () => {
      const t = 1_000_000;
      assert.equal(await acquireLease(db, "alert-watcher:1", "A", 1_000, t), true);
      assert.equal(await acquireLease(db, "alert-watcher:1", "B", 1_000, t + 10), false);
      assert.equal(await acquireLease(db, "alert-watcher:1", "A", 1_000, t + 500), true, "the holder renews");
      assert.equal(await acquireLease(db, "alert-watcher:1", "B", 1_000, t + 1_400), false, "renewed, not expired");
      assert.equal(await acquireLease(db, "alert-watcher:1", "B", 1_000, t + 1_501), true, "expired: B takes over");
      assert.equal(await acquireLease(db, "alert-watcher:1", "A", 1_000, t + 1_600), false, "A lost it");
      const contenders = await Promise.all(
        ["C", "D", "E", "F"].map((h) => acquireLease(db, "alert-watcher:2", h, 1_000, t)),
      );
      assert.equal(contenders.filter(Boolean).length, 1, "one of four simultaneous contenders wins");
      await releaseLease(db, "alert-watcher:1", "B");
      assert.equal(await leaseHolder(db, "alert-watcher:1", t + 1_700), undefined);
    });
  });
}

describe("SQLite busy timeout", () => {
  const file = path.join(dir, "busy.sqlite");

  it("a write during another connection's lock waits for it and succeeds", async () => {
    const db = await openDatabase({ engine: "sqlite", file });
    const other = new DatabaseSync(file);
    try {
      other.exec("BEGIN IMMEDIATE");
      other.exec("INSERT INTO server_leases (name, holder, expires_at) VALUES ('lock-holder', 'other', 0)");
      const released = new Promise<void>((resolve) =>
        setTimeout(() => {
          other.exec("COMMIT");
          resolve();
        }, 1_500),
      );
      const started = Date.now();
      let ticks = 0;
      const timer = setInterval(() => ticks++, 100);
      await insertRequest(db, request("b".repeat(24)));
      clearInterval(timer);
      await released;
      assert.ok(Date.now() - started >= 1_400, "the write did not wait for the lock");
      assert.ok(ticks >= 10, "the event loop was blocked while waiting");
      assert.ok(await getRequest(db, "b".repeat(24)), "the write was lost");
    } finally {
      other.close();
      await db.destroy();
    }
  });

  it("fails with SQLite's busy error when the lock outlasts the timeout", async () => {
    const db = await openDatabase({ engine: "sqlite", file, busyTimeoutMs: 200 });
    const other = new DatabaseSync(file);
    try {
      other.exec("BEGIN IMMEDIATE");
      await assert.rejects(insertRequest(db, request("c".repeat(24))), /locked|busy/i);
      other.exec("ROLLBACK");
    } finally {
      other.close();
      await db.destroy();
    }
  });
});

describe("database configuration", () => {
  it("reads CUSTOS_DATABASE_URL: unset is the SQLite default, postgres:// is Postgres, other schemes are refused", () => {
    assert.equal(parseDatabaseUrl(undefined).engine, "sqlite");
    assert.match((parseDatabaseUrl(undefined) as { file: string }).file, /\.data\/custos\.sqlite$/);
    assert.deepEqual(parseDatabaseUrl("sqlite:/tmp/x.sqlite"), { engine: "sqlite", file: "/tmp/x.sqlite" });
    assert.deepEqual(parseDatabaseUrl("postgresql://u@h/db"), { engine: "postgres", url: "postgresql://u@h/db" });
    assert.throws(() => parseDatabaseUrl("mysql://u@h/db"), /neither a postgres:\/\/ URL nor a SQLite file path/);
  });
});
