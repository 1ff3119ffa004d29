/** The approval collection's rows (D5): requests and verified guardian signatures, nothing secret. */
import type { Database } from "../db/index.js";

export interface StoredRequest {
  id: string;
  body: string;
}

export interface NewRequest {
  id: string;
  kind: string;
  chainId: number;
  account: string;
  newOwner: string;
  body: string;
}

/** Stores a request once (its id is the hash of its canonical JSON, so posting twice is harmless). */
export async function insertRequest(db: Database, request: NewRequest, now = Date.now()): Promise<void> {
  await db
    .insertInto("approval_requests")
    .values({
      id: request.id,
      kind: request.kind,
      chain_id: request.chainId,
      account: request.account.toLowerCase(),
      new_owner: request.newOwner,
      body: request.body,
      created_at: now,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

export async function getRequest(db: Database, id: string): Promise<StoredRequest | undefined> {
  return db.selectFrom("approval_requests").select(["id", "body"]).where("id", "=", id).executeTakeFirst();
}

export async function listApprovals(db: Database, requestId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("approval_signatures")
    .select("body")
    .where("request_id", "=", requestId)
    .orderBy("created_at")
    .orderBy("signer")
    .execute();
  return rows.map((r) => r.body);
}

/** False when this signer already approved this request. */
export async function insertApproval(
  db: Database,
  requestId: string,
  signer: string,
  body: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .insertInto("approval_signatures")
    .values({ request_id: requestId, signer: signer.toLowerCase(), body, created_at: now })
    .onConflict((oc) => oc.columns(["request_id", "signer"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}
