/**
 * A named lease in the database: one holder at a time, renewed by its holder, free once it expired.
 * The alert watcher takes one per chain so that, with several watchers on one database, one leads and
 * another takes over within `ttlMs` when it dies. Atomic on both engines: the conditional UPDATE
 * re-checks its WHERE on the row it changes, and a missing row is created with ON CONFLICT DO NOTHING.
 */
import type { Database } from "./index.js";

/** Takes or renews the lease; true when `holder` holds it until now + ttlMs. */
export async function acquireLease(
  db: Database,
  name: string,
  holder: string,
  ttlMs: number,
  now = Date.now(),
): Promise<boolean> {
  const renewed = await db
    .updateTable("server_leases")
    .set({ holder, expires_at: now + ttlMs })
    .where("name", "=", name)
    .where((eb) => eb.or([eb("holder", "=", holder), eb("expires_at", "<", now)]))
    .executeTakeFirst();
  if (Number(renewed.numUpdatedRows) === 1) return true;
  const created = await db
    .insertInto("server_leases")
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  return Number(created.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Gives the lease up (on a clean stop), so another holder need not wait for it to expire. */
export async function releaseLease(db: Database, name: string, holder: string): Promise<void> {
  await db.deleteFrom("server_leases").where("name", "=", name).where("holder", "=", holder).execute();
}

export async function leaseHolder(db: Database, name: string, now = Date.now()): Promise<string | undefined> {
  const row = await db
    .selectFrom("server_leases")
    .select(["holder", "expires_at"])
    .where("name", "=", name)
    .executeTakeFirst();
  return row && row.expires_at >= now ? row.holder : undefined;
}
