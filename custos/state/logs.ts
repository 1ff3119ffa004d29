import { BaseError, formatLog, numberToHex, type Address, type Hex, type Log, type PublicClient } from "viem";
import { CustosError } from "../errors.js";
import { matchesFilter, type LogIndex } from "./logIndex.js";

/**
 * The one way the client library reads logs (rule R1): public RPCs cap `eth_getLogs` by block range
 * and by result size, so every read is split into ranges of at most `maxBlockRange` blocks, a range
 * the provider refuses is retried smaller (the provider's hint when it gives one, else half), and
 * repeated reads of the same filter are incremental: what was read is kept in memory per client and
 * a later read fetches only the blocks after it, plus `reorgMargin` blocks read again so a
 * reorganisation near the head is seen. With a log index (`index`, logIndex.ts: the Custos server's
 * /api/logs) the filters it covers are taken from it, each served log checked against its
 * transaction's receipt, and only the blocks it does not cover (after its head) read from the chain;
 * when it is unreachable or fails a check, the chain serves everything.
 */

/** An `eth_getLogs` filter without its block range: one address or several, topics as in JSON-RPC. */
export interface LogFilter {
  address?: Address | readonly Address[];
  topics?: readonly (Hex | readonly Hex[] | null)[];
}

export interface LogReadOptions {
  /** Largest block range of one `eth_getLogs` call. Default 2,000 (what most public RPCs accept). */
  maxBlockRange?: number | bigint;
  /** Blocks below the last head read again by the next incremental read. Default 8. */
  reorgMargin?: number | bigint;
  /** Filters whose logs are kept between reads (least recently used ones go first). Default 256. */
  maxCachedFilters?: number;
  /** A log index to read covered filters from, the chain being the fallback (see logIndex.ts). */
  index?: LogIndex;
  /**
   * Check every log the index serves against its transaction's receipt (one eth_getTransactionReceipt
   * per transaction). Default true: without it the index could invent events.
   */
  verifyIndex?: boolean;
}

/** What the reader did since it was created: for benchmarks and tests. */
export interface LogReadStats {
  /** `eth_getLogs` calls sent, refused ones included. */
  calls: number;
  /** Calls the provider refused as too wide or too large (then retried smaller). */
  refused: number;
  /** Blocks covered by the calls that succeeded. */
  blocks: bigint;
  /** Reads answered entirely from memory. */
  cached: number;
  /** Ranges taken from the log index, and the blocks they covered. */
  indexReads: number;
  indexBlocks: bigint;
  /** Receipts read to check served logs. */
  verified: number;
  /** Index reads that failed (unreachable, malformed, or a log its receipt does not confirm). */
  indexFailures: number;
}

export const DEFAULT_MAX_BLOCK_RANGE = 2_000n;
export const DEFAULT_REORG_MARGIN = 8n;
/** How long the reader reads only the chain after its log index could not be reached. */
const INDEX_RETRY_MS = 30_000;

/** A log read failed for good: even a one-block range was refused, or the provider failed otherwise. */
export class LogReadError extends CustosError {
  override name = "LogReadError";
  constructor(
    code: "LOG_RANGE_REFUSED" | "LOG_READ_FAILED",
    shortMessage: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(code, shortMessage, options);
  }
}

/** A provider's refusal of a block range or result size, with the range it says would work. */
export interface RangeRefusal {
  /** Blocks per call the provider says it accepts, when its message names a number or a range. */
  suggestedRange?: bigint;
}

// Messages seen from public providers and node software when a range is too wide or a result too big:
// Alchemy "Log response size exceeded ... up to a 2K block range ... this block range should work: [0x…, 0x…]",
// Infura "query returned more than 10000 results. Try with this block range [0x…, 0x…]", QuickNode
// "eth_getLogs is limited to a 10,000 range", Ankr/BSC "block range is too wide", "exceed maximum block
// range: 5000", geth/Erigon "query timeout exceeded", Besu "Requested range exceeds maximum range limit",
// Nethermind "too many blocks", Cloudflare "Max range: 800", "response size should not greater than …".
const REFUSAL =
  /block range|range (is )?too (large|wide|big)|max(imum)? (block )?range|range limit|limited to (a )?[\d,]+|too many (blocks|results|logs)|more than [\d,]+ (results|logs)|response size|result (set )?(is )?too (large|big)|query timeout|timeout exceeded|exceeds? max(imum)? results|range exceed|logs? (limit|size) exceeded|max range/i;
const RATE_LIMIT = /rate limit|request count|requests per|too many requests|capacity|throughput|quota/i;
const HINT_RANGE = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i;
const HINT_NUMBER =
  /(?:up to (?:a )?|limited to (?:a )?|max(?:imum)?(?: block)? range(?: is| of)?:?\s*|range (?:limit|of)(?: is)?:?\s*|range:\s*)(\d[\d,]*)(\s*k\b)?/i;

function errorTexts(error: unknown): { texts: string[]; codes: number[] } {
  const texts: string[] = [];
  const codes: number[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { message?: unknown; details?: unknown; shortMessage?: unknown; code?: unknown };
    for (const text of [e.details, e.shortMessage, e.message]) if (typeof text === "string") texts.push(text);
    if (typeof e.code === "number") codes.push(e.code);
    current = (current as { cause?: unknown }).cause;
  }
  return { texts, codes };
}

/**
 * Whether `error` is a provider refusing an `eth_getLogs` range as too wide or its result as too
 * large, and what range it suggests. Rate limits are not refusals (a smaller range would not help).
 */
export function rangeRefusal(error: unknown): RangeRefusal | undefined {
  const { texts, codes } = errorTexts(error);
  const text = texts.join("\n");
  if (RATE_LIMIT.test(text) || codes.includes(429)) return undefined;
  // -32005 "limit exceeded" is Infura's and Geth's code for a result over the cap.
  if (!REFUSAL.test(text) && !codes.includes(-32005)) return undefined;
  const hint = HINT_RANGE.exec(text);
  if (hint) {
    const span = BigInt(hint[2]!) - BigInt(hint[1]!) + 1n;
    if (span > 0n) return { suggestedRange: span };
  }
  const number = HINT_NUMBER.exec(text);
  if (number) {
    const value = BigInt(number[1]!.replaceAll(",", "")) * (number[2] ? 1000n : 1n);
    if (value > 0n) return { suggestedRange: value };
  }
  return {};
}

interface CachedLogs {
  /** The range [fromBlock, toBlock] whose logs `logs` holds completely. */
  fromBlock: bigint;
  toBlock: bigint;
  logs: Log[];
}

const filterKey = (filter: LogFilter): string =>
  JSON.stringify({
    address: filter.address === undefined ? null : [filter.address].flat().map((a) => a.toLowerCase()),
    topics: (filter.topics ?? []).map((t) => (t === null ? null : [t].flat().map((x) => x.toLowerCase()))),
  });

const sortLogs = (a: Log, b: Log) =>
  Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0);

/** Reads logs for one client: chunked, with the range fallback, and incremental per filter. */
export class LogReader {
  /** The block range currently used per call (shrinks when the provider refuses a wider one). */
  range: bigint;
  readonly reorgMargin: bigint;
  readonly stats: LogReadStats = {
    calls: 0,
    refused: 0,
    blocks: 0n,
    cached: 0,
    indexReads: 0,
    indexBlocks: 0n,
    verified: 0,
    indexFailures: 0,
  };
  /** The index, until it fails a check (then the chain serves every read of this reader). */
  index?: LogIndex;
  /** After the index could not be reached, when to ask it again (ms since the epoch). */
  private indexRetryAt = 0;
  private readonly verifyIndex: boolean;
  /** Transactions whose receipt already confirmed the served logs. */
  private readonly confirmed = new Set<string>();
  private readonly maxCached: number;
  private readonly cache = new Map<string, CachedLogs>();
  /** One read at a time per filter, so concurrent readers share the result instead of racing. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    readonly client: PublicClient,
    options: LogReadOptions = {},
  ) {
    this.range = BigInt(options.maxBlockRange ?? DEFAULT_MAX_BLOCK_RANGE);
    this.reorgMargin = BigInt(options.reorgMargin ?? DEFAULT_REORG_MARGIN);
    this.maxCached = options.maxCachedFilters ?? 256;
    this.index = options.index;
    this.verifyIndex = options.verifyIndex ?? true;
    if (this.range < 1n) throw new LogReadError("LOG_READ_FAILED", "maxBlockRange must be at least 1 block");
    if (this.reorgMargin < 0n) throw new LogReadError("LOG_READ_FAILED", "reorgMargin cannot be negative");
  }

  /**
   * The logs matching `filter` in [fromBlock, toBlock] (toBlock: the latest block when omitted),
   * oldest first. Blocks already read for the same filter are served from memory, except the last
   * `reorgMargin` ones, which are read again.
   */
  async getLogs(filter: LogFilter, { fromBlock = 0n, toBlock }: { fromBlock?: bigint; toBlock?: bigint } = {}) {
    const key = filterKey(filter);
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.readIncremental(key, filter, fromBlock, toBlock));
    this.inFlight.set(key, run);
    try {
      return await run;
    } finally {
      if (this.inFlight.get(key) === run) this.inFlight.delete(key);
    }
  }

  /**
   * The first log of `filter` since `fromBlock`: from memory when an earlier read already found one
   * (a first log deeper than the reorganisation margin does not change), else read.
   */
  async firstLog(filter: LogFilter, { fromBlock = 0n }: { fromBlock?: bigint } = {}): Promise<Log | undefined> {
    const entry = this.cache.get(filterKey(filter));
    const first = entry?.logs.find((log) => log.blockNumber! >= fromBlock);
    if (entry && first && entry.fromBlock <= fromBlock && first.blockNumber! <= entry.toBlock - this.reorgMargin) {
      this.stats.cached += 1;
      return first;
    }
    return (await this.getLogs(filter, { fromBlock }))[0];
  }

  /** Forgets every cached log (the next read of each filter starts over). */
  clear(): void {
    this.cache.clear();
  }

  private async readIncremental(key: string, filter: LogFilter, fromBlock: bigint, to?: bigint): Promise<Log[]> {
    const toBlock = to ?? (await this.client.getBlockNumber({ cacheTime: 0 }));
    if (toBlock < fromBlock) return [];
    let entry = this.cache.get(key);
    this.cache.delete(key); // re-inserted below: the Map's order is the least-recently-used order
    let fetched = false;
    if (!entry) {
      entry = { fromBlock, toBlock: fromBlock - 1n, logs: [] };
    } else if (fromBlock < entry.fromBlock) {
      const earlier = await this.scan(filter, fromBlock, entry.fromBlock - 1n);
      entry = { ...entry, fromBlock, logs: [...earlier, ...entry.logs] };
      fetched = true;
    }
    // Re-read from `reorgMargin` blocks below what was read before, up to the requested block.
    const refreshFrom = entry.toBlock - this.reorgMargin + 1n;
    if (toBlock >= refreshFrom) {
      const start = refreshFrom > entry.fromBlock ? refreshFrom : entry.fromBlock;
      const fresh = await this.scan(filter, start, toBlock);
      entry = {
        fromBlock: entry.fromBlock,
        toBlock,
        logs: [...entry.logs.filter((log) => log.blockNumber! < start), ...fresh],
      };
      fetched = true;
    }
    if (!fetched) this.stats.cached += 1;
    this.cache.set(key, entry);
    while (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    return entry.logs.filter((log) => log.blockNumber! >= fromBlock && log.blockNumber! <= toBlock);
  }

  /**
   * Every log of `filter` in [fromBlock, toBlock], uncached: what the log index covers from it, the
   * rest from the chain in calls of at most `range` blocks.
   */
  async scan(filter: LogFilter, fromBlock: bigint, toBlock: bigint): Promise<Log[]> {
    const served = await this.fromIndex(filter, fromBlock, toBlock);
    if (!served) return this.scanChain(filter, fromBlock, toBlock);
    const before = served.fromBlock > fromBlock ? await this.scanChain(filter, fromBlock, served.fromBlock - 1n) : [];
    const after = served.toBlock < toBlock ? await this.scanChain(filter, served.toBlock + 1n, toBlock) : [];
    return [...before, ...served.logs, ...after].sort(sortLogs);
  }

  /** The index's part of [fromBlock, toBlock], checked; undefined when the chain must serve it all. */
  private async fromIndex(filter: LogFilter, fromBlock: bigint, toBlock: bigint) {
    const index = this.index;
    if (!index || Date.now() < this.indexRetryAt) return undefined;
    let served;
    try {
      served = await index.read(filter, fromBlock, toBlock);
    } catch {
      // Unreachable or malformed: the chain serves this read and those of the next 30 s.
      this.stats.indexFailures += 1;
      this.indexRetryAt = Date.now() + INDEX_RETRY_MS;
      return undefined;
    }
    if (!served || served.toBlock < served.fromBlock) return undefined;
    try {
      if (served.fromBlock < fromBlock || served.toBlock > toBlock) throw new Error("range outside the one asked");
      if (served.logs.some((log) => !matchesFilter(log, filter))) throw new Error("a log outside the filter");
      if (this.verifyIndex) await this.confirm(served.logs);
    } catch {
      // A log the chain does not confirm: the index lies or serves another fork; never ask it again.
      this.stats.indexFailures += 1;
      this.index = undefined;
      return undefined;
    }
    this.stats.indexReads += 1;
    this.stats.indexBlocks += served.toBlock - served.fromBlock + 1n;
    return served;
  }

  /** Checks each served log against its transaction's receipt on the chain. */
  private async confirm(logs: readonly Log[]): Promise<void> {
    const byTx = new Map<Hex, Log[]>();
    for (const log of logs) {
      const key = `${log.transactionHash}:${log.blockHash}:${log.logIndex}`.toLowerCase();
      if (this.confirmed.has(key)) continue;
      byTx.set(log.transactionHash!, [...(byTx.get(log.transactionHash!) ?? []), log]);
    }
    for (const [hash, served] of byTx) {
      this.stats.verified += 1;
      const receipt = await this.client.request({ method: "eth_getTransactionReceipt", params: [hash] });
      if (!receipt) throw new Error(`no receipt for ${hash}`);
      for (const log of served) {
        const found = receipt.logs.find((r) => BigInt(r.logIndex ?? -1) === BigInt(log.logIndex!));
        const same =
          found !== undefined &&
          found.blockHash?.toLowerCase() === log.blockHash!.toLowerCase() &&
          found.address.toLowerCase() === log.address.toLowerCase() &&
          found.data.toLowerCase() === log.data.toLowerCase() &&
          found.topics.length === log.topics.length &&
          found.topics.every((t, i) => t.toLowerCase() === (log.topics[i] as Hex).toLowerCase());
        if (!same) throw new Error(`the receipt of ${hash} does not hold log ${log.logIndex} as served`);
        this.confirmed.add(`${log.transactionHash}:${log.blockHash}:${log.logIndex}`.toLowerCase());
      }
    }
  }

  /** Every log of `filter` in [fromBlock, toBlock] from the chain, in calls of at most `range` blocks. */
  async scanChain(filter: LogFilter, fromBlock: bigint, toBlock: bigint): Promise<Log[]> {
    const logs: Log[] = [];
    let start = fromBlock;
    while (start <= toBlock) {
      const end = start + this.range - 1n < toBlock ? start + this.range - 1n : toBlock;
      const chunk = await this.call(filter, start, end);
      if (chunk === "refused") continue; // `range` shrank: same start, smaller end
      logs.push(...chunk);
      start = end + 1n;
    }
    return logs.sort(sortLogs);
  }

  private async call(filter: LogFilter, fromBlock: bigint, toBlock: bigint): Promise<Log[] | "refused"> {
    const params = {
      ...(filter.address !== undefined ? { address: filter.address as Address | Address[] } : {}),
      ...(filter.topics !== undefined ? { topics: filter.topics as (Hex | Hex[] | null)[] } : {}),
      fromBlock: numberToHex(fromBlock),
      toBlock: numberToHex(toBlock),
    };
    this.stats.calls += 1;
    let raw;
    try {
      // No transport retries: a refused range is answered by a smaller one, not by the same one again.
      raw = await this.client.request({ method: "eth_getLogs", params: [params] }, { retryCount: 0 });
    } catch (error) {
      const refusal = rangeRefusal(error);
      if (!refusal) {
        // Anything else (a dropped connection, a rate limit) gets the transport's usual retries once.
        try {
          this.stats.calls += 1;
          raw = await this.client.request({ method: "eth_getLogs", params: [params] });
        } catch (again) {
          throw new LogReadError("LOG_READ_FAILED", `reading logs of blocks ${fromBlock}–${toBlock} failed`, {
            details: again instanceof BaseError ? again.shortMessage : String(again),
            cause: again,
          });
        }
      } else {
        this.stats.refused += 1;
        const span = toBlock - fromBlock + 1n;
        if (span <= 1n) {
          throw new LogReadError("LOG_RANGE_REFUSED", `the RPC refuses to return the logs of block ${fromBlock}`, {
            details: error instanceof BaseError ? error.shortMessage : String(error),
            cause: error,
          });
        }
        const suggested = refusal.suggestedRange;
        this.range = suggested !== undefined && suggested < span ? suggested : span / 2n;
        return "refused";
      }
    }
    this.stats.blocks += toBlock - fromBlock + 1n;
    return raw.map((log) => formatLog(log));
  }
}

const readers = new WeakMap<object, LogReader>();

/** The client's log reader (one per client object, created with the defaults on first use). */
export function logReader(client: PublicClient): LogReader {
  let reader = readers.get(client);
  if (!reader) {
    reader = new LogReader(client);
    readers.set(client, reader);
  }
  return reader;
}

/**
 * Sets how the client's logs are read (block range, reorganisation margin) and returns its new reader;
 * call it once where the client is created. Logs cached by an earlier reader are dropped.
 */
export function configureLogReads(client: PublicClient, options: LogReadOptions): LogReader {
  const reader = new LogReader(client, options);
  readers.set(client, reader);
  return reader;
}
