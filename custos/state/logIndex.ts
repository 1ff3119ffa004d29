import { formatLog, isHex, type Address, type Hex, type Log, type RpcLog } from "viem";
import type { LogFilter } from "./logs.js";

/**
 * A log index: a server that already read the chain (the Custos watcher, served at /api/logs) and
 * answers some log filters for a block range in a few requests, where the chain behind a capped
 * public RPC needs one eth_getLogs per 1,000–2,000 blocks (rule R1, "served from the watcher's index
 * with the chain as fallback"). The log reader (logs.ts) asks it first for the filters it covers and
 * reads from the chain only what it does not cover: blocks before the index starts, blocks after
 * its head, everything when it is unreachable or answers nonsense.
 *
 * What this trusts the server with: nothing it can forge, only what it can hide. Each served log is
 * checked against the chain before it is used: the receipt of its transaction must hold the same
 * log (address, topics, data, block hash, log index), one eth_getTransactionReceipt per transaction
 * served (`verify`, on by default). So a lying index cannot invent events, move them, or serve
 * orphaned ones; the reader then stops using it and reads the chain. It can still leave logs out,
 * which no client can detect without reading the chain itself: the account's state is read from
 * the chain (owner, lock, recovery, nonce, epoch by eth_call) and the configuration rebuilt from the
 * events must hash to the account's stored configHash, so a hidden configuration change or the
 * omission of the account's creation is an error, not a wrong answer; a hidden Locked/Unlocked or
 * RecoveryApproved only shortens the activity list. Token approvals are re-read with allowance()
 * from the chain, so a hidden approval is missing from the list, never a wrong allowance shown.
 */
export interface LogIndex {
  /**
   * The logs of `filter` the index holds for blocks [fromBlock, toBlock]: the range it answered
   * completely (it may start later, at the first block it indexed, and end earlier, at its head) and
   * every matching log in it; undefined when it does not cover this filter at all. Throws when the
   * index cannot be reached or answers something malformed.
   */
  read(filter: LogFilter, fromBlock: bigint, toBlock: bigint): Promise<IndexedLogs | undefined>;
}

export interface IndexedLogs {
  fromBlock: bigint;
  toBlock: bigint;
  logs: Log[];
}

export interface HttpLogIndexOptions {
  /** The chain the logs are for; an answer for another chain is refused. */
  chainId: number;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Pages followed per read (default 20, of up to 1,000 logs each); the chain reads the rest. */
  maxPages?: number;
  /** How long a "not indexed" answer is remembered before asking again (default 30 s). */
  notIndexedTtlMs?: number;
  fetch?: typeof fetch;
}

/** Topic 0 of ERC-20/721 Approval and of ApprovalForAll: the token approvals the index keeps. */
const APPROVAL = "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925";
const APPROVAL_FOR_ALL = "0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31";

/** The /api/logs query for `filter`, or undefined when the index cannot answer it. */
export function indexQuery(filter: LogFilter): Record<string, string> | undefined {
  const topics = filter.topics ?? [];
  if (typeof filter.address === "string" && topics.every((t) => t === null)) {
    return { address: filter.address };
  }
  if (filter.address !== undefined || topics.length < 2 || topics.slice(2).some((t) => t !== null)) return undefined;
  const [first, owner] = topics;
  const signatures = [first ?? []].flat().map((t) => t.toLowerCase());
  if (typeof owner !== "string" || signatures.length === 0) return undefined;
  if (signatures.some((t) => t !== APPROVAL && t !== APPROVAL_FOR_ALL)) return undefined;
  return { owner: `0x${owner.slice(26)}`, topic0: signatures.join(",") };
}

interface Page {
  chainId: number;
  fromBlock: number;
  toBlock: number;
  logs: RpcLog[];
  next: number | null;
}

function isPage(body: unknown): body is Page {
  const p = body as Page;
  return (
    typeof p === "object" &&
    p !== null &&
    Number.isSafeInteger(p.chainId) &&
    Number.isSafeInteger(p.fromBlock) &&
    Number.isSafeInteger(p.toBlock) &&
    Array.isArray(p.logs) &&
    (p.next === null || Number.isSafeInteger(p.next))
  );
}

/** The Custos server's log index at `url` (e.g. `https://dapp.example/api/logs`). */
export function httpLogIndex(url: string, options: HttpLogIndexOptions): LogIndex {
  const doFetch = options.fetch ?? fetch;
  const maxPages = options.maxPages ?? 20;
  const ttl = options.notIndexedTtlMs ?? 30_000;
  const notIndexed = new Map<string, number>();

  return {
    async read(filter, fromBlock, toBlock) {
      const query = indexQuery(filter);
      if (!query) return undefined;
      const key = JSON.stringify(query);
      if ((notIndexed.get(key) ?? 0) > Date.now()) return undefined;
      const logs: Log[] = [];
      let start = fromBlock;
      let first: bigint | undefined;
      let end = fromBlock - 1n;
      for (let page = 0; page < maxPages && start <= toBlock; page++) {
        const target = new URL(url);
        for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
        target.searchParams.set("chainId", String(options.chainId));
        target.searchParams.set("fromBlock", String(start));
        target.searchParams.set("toBlock", String(toBlock));
        const res = await doFetch(target, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
        if (res.status === 404) {
          notIndexed.set(key, Date.now() + ttl);
          return first === undefined ? undefined : { fromBlock: first, toBlock: end, logs };
        }
        if (!res.ok) throw new Error(`the log index answered HTTP ${res.status}`);
        const body: unknown = await res.json();
        if (!isPage(body)) throw new Error("the log index answered a malformed page");
        if (body.chainId !== options.chainId) throw new Error(`the log index answered for chain ${body.chainId}`);
        const pageFrom = BigInt(body.fromBlock);
        const pageTo = BigInt(body.toBlock);
        // A later start is allowed only on the first page (the index starts there); pages never overlap.
        if (first === undefined ? pageFrom < start : pageFrom !== start) {
          throw new Error("the log index answered another block range");
        }
        first ??= pageFrom;
        for (const raw of body.logs) {
          if (!isHex(raw.blockHash) || !isHex(raw.transactionHash) || !isHex(raw.data) || !Array.isArray(raw.topics)) {
            throw new Error("the log index answered a malformed log");
          }
          const log = formatLog(raw);
          if (log.blockNumber! < pageFrom || log.blockNumber! > pageTo) {
            throw new Error("the log index answered a log outside the range it names");
          }
          logs.push(log);
        }
        if (pageTo < pageFrom) break; // nothing indexed in the range yet (the index is behind)
        end = pageTo;
        if (body.next === null) break;
        start = BigInt(body.next);
      }
      return first === undefined ? undefined : { fromBlock: first, toBlock: end, logs };
    },
  };
}

/** Whether `log` matches `filter` (an index must not serve logs the filter excludes). */
export function matchesFilter(log: Log, filter: LogFilter): boolean {
  if (filter.address !== undefined) {
    const wanted = [filter.address].flat().map((a: Address) => a.toLowerCase());
    if (!wanted.includes(log.address.toLowerCase())) return false;
  }
  return (filter.topics ?? []).every((t, i) => {
    if (t === null) return true;
    const topic = (log.topics[i] as Hex | undefined)?.toLowerCase();
    return topic !== undefined && [t].flat().some((x) => x.toLowerCase() === topic);
  });
}
