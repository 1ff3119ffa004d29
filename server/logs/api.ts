/**
 * /api/logs: an account's logs from the watcher's index (R1), so a client reads years of history in a
 * few requests instead of thousands of capped eth_getLogs calls, and asks the chain only for the
 * blocks after the index's head.
 *
 *   GET /api/logs?address=<account>&fromBlock=<n>[&toBlock=<n>][&limit=<n>][&chainId=<id>]
 *       every log the account emitted
 *   GET /api/logs?owner=<account>&topic0=<0x…>[,<0x…>]&fromBlock=<n>…
 *       the token approvals the account gave (Approval / ApprovalForAll with topic 1 = the account)
 *
 *   200 {chainId, indexedFrom, head: {number, hash}, fromBlock, toBlock, logs: [eth_getLogs logs], next}
 *       `logs` holds every matching log of the blocks [fromBlock, toBlock] (never part of a block);
 *       `next` is the fromBlock of the next page, or null when toBlock reached the asked toBlock or the
 *       head. fromBlock is raised to indexedFrom (the client reads earlier blocks from the chain).
 *   404 NOT_INDEXED  the index does not hold these logs (no watcher for the chain, not a followed
 *       account, another event): read them from the chain.
 *
 * The server is trusted for nothing here: see custos/state/logIndex.ts for what a client checks.
 */
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import type { Database } from "../db/index.js";
import { clientAddress } from "../http/clientAddress.js";
import { errorResponse, HttpError, jsonError, jsonResponse } from "../http/errors.js";
import type { Limiter } from "../http/rateLimit.js";
import { APPROVAL_TOPICS, indexState, isFollowed, readLogPage, type IndexedQuery } from "./store.js";

export const MAX_PAGE = 1_000;

export interface LogIndexApiContext {
  db: () => Promise<Database>;
  /** The chain answered when the request names none (the served network's). */
  defaultChainId: () => number | undefined;
  /** Pages served per client address (each one is a database query of up to MAX_PAGE rows). */
  reads: Limiter;
  /** The rate-limit key of a request; the client's address by default. */
  clientKey?: (request: Request) => string;
}

function block(params: URLSearchParams, name: string): bigint | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new HttpError(400, "MALFORMED", `${name} must be a block number in decimal.`);
  return BigInt(value);
}

function address(value: string, name: string): Address {
  if (!isAddress(value, { strict: false })) throw new HttpError(400, "MALFORMED", `${name} is not an address.`);
  return getAddress(value);
}

function queryOf(params: URLSearchParams): IndexedQuery {
  const emitter = params.get("address");
  const owner = params.get("owner");
  if ((emitter === null) === (owner === null)) {
    throw new HttpError(400, "MALFORMED", "Name either address (logs it emitted) or owner (approvals it gave).");
  }
  if (emitter !== null) return { kind: "emitted", address: address(emitter, "address") };
  const topic0 = (params.get("topic0") ?? "").split(",").filter(Boolean);
  if (topic0.length === 0 || topic0.some((t) => !isHex(t) || t.length !== 66)) {
    throw new HttpError(400, "MALFORMED", "topic0 must list event signatures (32-byte hex), comma-separated.");
  }
  return { kind: "approvals", owner: address(owner!, "owner"), topic0: topic0 as Hex[] };
}

const notIndexed = (why: string) => jsonError(404, "NOT_INDEXED", `${why}: read these logs from the chain.`);

export function logIndexApi(ctx: LogIndexApiContext) {
  const keyOf = ctx.clientKey ?? ((request: Request) => clientAddress(request));
  return async function getLogs(request: Request): Promise<Response> {
    try {
      await ctx.reads.consume(keyOf(request));
      const params = new URL(request.url).searchParams;
      const query = queryOf(params);
      const fromBlock = block(params, "fromBlock") ?? 0n;
      const askedTo = block(params, "toBlock");
      const limitParam = block(params, "limit");
      const limit = Math.min(Number(limitParam ?? BigInt(MAX_PAGE)), MAX_PAGE);
      if (limit < 1) throw new HttpError(400, "MALFORMED", `limit must be 1 to ${MAX_PAGE}.`);
      const chainParam = params.get("chainId");
      if (chainParam !== null && !/^[1-9]\d{0,15}$/.test(chainParam)) {
        throw new HttpError(400, "MALFORMED", "chainId must be a chain id in decimal.");
      }
      const chainId = chainParam !== null ? Number(chainParam) : ctx.defaultChainId();
      if (chainId === undefined) return notIndexed("This server serves no chain yet");

      const db = await ctx.db();
      const state = await indexState(db, chainId);
      if (!state) return notIndexed(`No index of chain ${chainId} on this server`);
      if (query.kind === "approvals" && query.topic0.some((t) => !APPROVAL_TOPICS.includes(t.toLowerCase() as Hex))) {
        return notIndexed("The index keeps only Approval and ApprovalForAll of accounts");
      }
      const account = query.kind === "emitted" ? query.address : query.owner;
      if (!(await isFollowed(db, chainId, account))) return notIndexed(`${account} is not a followed Custos account`);

      const from = fromBlock > state.fromBlock ? fromBlock : state.fromBlock;
      const to = askedTo !== undefined && askedTo < state.head ? askedTo : state.head;
      const page =
        from <= to ? await readLogPage(db, chainId, query, from, to, limit) : { logs: [], toBlock: to, more: false };
      return jsonResponse({
        chainId,
        indexedFrom: Number(state.fromBlock),
        head: { number: Number(state.head), hash: state.headHash },
        fromBlock: Number(from),
        toBlock: Number(page.toBlock),
        logs: page.logs,
        next: page.more ? Number(page.toBlock + 1n) : null,
      });
    } catch (error) {
      return errorResponse(error, "log index API");
    }
  };
}
