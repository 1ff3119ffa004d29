/**
 * The alert watcher: follows the factory's AccountCreated and every account's events in block
 * ranges, records notifiable events once, queues one alert per active subscription and delivers the
 * outbox. Resumes from the cursor in the database; on a reorganisation it rewinds to the last block
 * whose hash still matches and re-scans (see README).
 */
import {
  BlockNotFoundError,
  formatLog,
  getAddress,
  numberToHex,
  pad,
  parseEventLogs,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
} from "viem";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { CustosDeployment } from "../../custos/node.js";
import type { Database } from "../db/index.js";
import { acquireLease, releaseLease } from "../db/lease.js";
import { DEFAULT_FROM, type Mailer } from "./channels.js";
import { accountCreatedEvent, accountEvents, toAlertEvent, type AlertEvent, type DecodedAccountLog } from "./events.js";
import { DEFAULT_APP_URL } from "./links.js";
import { DEFAULT_RETRY, enqueue, OutboxDelivery, type RetryPolicy } from "./outbox.js";
import {
  addAccount,
  eventKey,
  followedAccounts,
  getCursor,
  pruneBlocks,
  recentBlocks,
  recordBlock,
  recordEvent,
  rewindTo,
  setCursor,
} from "./store.js";
import { activeSubscribers } from "./subscriptions.js";
import type { WebhookPolicy } from "./webhookPolicy.js";
import { APPROVAL_TOPICS, markIndexStart, storeLogs } from "../logs/store.js";

export interface WatcherOptions {
  client: PublicClient;
  deployment: Pick<CustosDeployment, "chainId" | "factory" | "deploymentBlock">;
  db: Database;
  /** SMTP transport (nodemailer). Without it e-mail alerts stay queued and are retried. */
  mailer?: Mailer;
  /** From header of e-mails (default env CUSTOS_MAIL_FROM, else "Custos alerts"). */
  mailFrom?: string;
  /** Base URL of the dApp for links (default http://127.0.0.1:3000). */
  appUrl?: string;
  pollIntervalMs?: number;
  /** Blocks to wait before reading a block (0 on a local chain; 2+ on public chains narrows reorg alerts). */
  confirmations?: number;
  /** Largest getLogs block range. */
  maxBlockRange?: number;
  /** How many recent block hashes to keep for reorganisation checks. */
  reorgDepth?: number;
  retry?: Partial<RetryPolicy>;
  /** Webhook destinations allowed and the per-delivery timeout (default from env). */
  webhooks?: WebhookPolicy;
  /**
   * Leadership among several watchers of one database: only the holder of the chain's lease scans
   * and delivers; another takes over `ttlMs` after the holder stopped renewing (default 15 s).
   */
  lease?: { holder?: string; ttlMs?: number };
  onError?: (error: unknown) => void;
  onTick?: (report: TickReport) => void;
}

export interface TickReport {
  fromBlock: bigint;
  toBlock: bigint;
  events: number;
  rewound?: { to: bigint; orphaned: number };
  sent: number;
  failed: number;
  /** False when another watcher holds the lead: this tick did nothing. */
  leader: boolean;
}

/** Stops the watcher and waits for the running tick to finish. */
export type StopWatcher = () => Promise<void>;

const ADDRESS_BATCH = 500;

class ReorgInProgress extends Error {}

export class AlertWatcher {
  private readonly chainId: number;
  private readonly factory: Address;
  private readonly start: bigint;
  private readonly confirmations: bigint;
  private readonly range: bigint;
  private readonly depth: bigint;
  private readonly retry: RetryPolicy;
  private readonly delivery: OutboxDelivery;
  readonly leaseName: string;
  readonly holder: string;
  private readonly leaseTtlMs: number;

  constructor(private readonly options: WatcherOptions) {
    this.chainId = options.deployment.chainId;
    this.factory = getAddress(options.deployment.factory);
    this.start = BigInt(options.deployment.deploymentBlock);
    this.confirmations = BigInt(options.confirmations ?? 0);
    this.range = BigInt(options.maxBlockRange ?? 2_000);
    this.depth = BigInt(options.reorgDepth ?? 128);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.leaseName = `alert-watcher:${this.chainId}`;
    this.holder = options.lease?.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    this.leaseTtlMs = options.lease?.ttlMs ?? 15_000;
    this.delivery = new OutboxDelivery({
      db: options.db,
      appUrl: options.appUrl ?? DEFAULT_APP_URL,
      mail: options.mailer ? { mailer: options.mailer, from: options.mailFrom ?? DEFAULT_FROM } : undefined,
      retry: this.retry,
      webhooks: options.webhooks,
    });
  }

  /** Stops leading: waits for running deliveries and frees the lease for another watcher. */
  async close(): Promise<void> {
    await this.delivery.drain();
    await releaseLease(this.options.db, this.leaseName, this.holder);
  }

  /** Waits for every delivery started so far (tests). */
  async drain(): Promise<void> {
    await this.delivery.drain();
  }

  /** One pass: reorganisation check, scan up to the safe head, deliver due alerts. */
  async tick(): Promise<TickReport> {
    const { client, db } = this.options;
    const chainId = await client.getChainId();
    if (chainId !== this.chainId) {
      throw new Error(`the RPC serves chain ${chainId}, the deployment is for chain ${this.chainId}`);
    }
    if (!(await acquireLease(db, this.leaseName, this.holder, this.leaseTtlMs))) {
      return { fromBlock: 0n, toBlock: 0n, events: 0, sent: 0, failed: 0, leader: false };
    }
    const rewound = await this.checkReorg();
    const head = await client.getBlockNumber();
    const safeHead = head - this.confirmations;
    const cursor = (await getCursor(db, this.chainId))?.blockNumber ?? this.start - 1n;
    const report: TickReport = {
      fromBlock: cursor + 1n,
      toBlock: cursor,
      events: 0,
      rewound,
      sent: 0,
      failed: 0,
      leader: true,
    };
    let from = cursor + 1n;
    try {
      while (from <= safeHead) {
        const to = from + this.range - 1n < safeHead ? from + this.range - 1n : safeHead;
        report.events += await this.scan(from, to);
        report.toBlock = to;
        from = to + 1n;
      }
    } catch (error) {
      // A block changed under us: the next tick's reorganisation check rewinds and re-scans.
      if (!(error instanceof ReorgInProgress)) throw error;
    }
    // Starts deliveries and returns: lanes run on their own, so a slow receiver never holds up the scan.
    await this.delivery.pump();
    const delivered = this.delivery.takeReport();
    report.sent = delivered.sent;
    report.failed = delivered.failed;
    return report;
  }

  private async hashAt(blockNumber: bigint): Promise<{ hash: Hex; timestamp: bigint } | undefined> {
    try {
      const block = await this.options.client.getBlock({ blockNumber });
      return block.hash ? { hash: block.hash, timestamp: block.timestamp } : undefined;
    } catch (error) {
      if (error instanceof BlockNotFoundError) return undefined;
      throw error;
    }
  }

  /** Compares remembered hashes with the chain, newest first; rewinds to the newest that matches. */
  private async checkReorg(): Promise<TickReport["rewound"]> {
    const { db } = this.options;
    const known = await recentBlocks(db, this.chainId);
    if (known.length === 0) return undefined;
    for (const [i, block] of known.entries()) {
      const actual = await this.hashAt(block.blockNumber);
      if (actual?.hash === block.blockHash) {
        if (i === 0) return undefined;
        const orphaned = await db
          .transaction()
          .execute((trx) => rewindTo(trx, this.chainId, block.blockNumber, block.blockHash));
        return { to: block.blockNumber, orphaned };
      }
    }
    // Deeper than the remembered hashes: re-scan from the deployment; the dedupe rule keeps it quiet.
    const orphaned = await db.transaction().execute((trx) => rewindTo(trx, this.chainId, this.start - 1n, null));
    return { to: this.start - 1n, orphaned };
  }

  /** Reads [from, to], then commits accounts, events, alerts, hashes and the cursor at once. */
  private async scan(from: bigint, to: bigint): Promise<number> {
    const { client, db } = this.options;
    const end = await this.hashAt(to);
    if (!end) throw new ReorgInProgress();

    const created = await client.getLogs({
      address: this.factory,
      event: accountCreatedEvent,
      fromBlock: from,
      toBlock: to,
    });
    const accounts = new Map<Address, bigint>();
    for (const a of await followedAccounts(db, this.chainId)) accounts.set(a, 0n);
    for (const log of created) {
      if (log.args.account && log.blockNumber !== null) accounts.set(getAddress(log.args.account), log.blockNumber);
    }

    // Every log of the followed accounts and every token approval they gave: the log index (/api/logs)
    // keeps them raw; the notifiable ones are decoded for alerts.
    const all = [...accounts.keys()];
    const raw: Log[] = [];
    for (let i = 0; i < all.length; i += ADDRESS_BATCH) {
      const batch = all.slice(i, i + ADDRESS_BATCH);
      raw.push(...(await client.getLogs({ address: batch, fromBlock: from, toBlock: to })));
      const approvals = await client.request({
        method: "eth_getLogs",
        params: [
          {
            fromBlock: numberToHex(from),
            toBlock: numberToHex(to),
            topics: [APPROVAL_TOPICS as Hex[], batch.map((a) => pad(a.toLowerCase() as Hex))],
          },
        ],
      });
      raw.push(...approvals.map((log) => formatLog(log)));
    }
    const logs = parseEventLogs({
      abi: accountEvents,
      logs: raw.filter((log) => accounts.has(getAddress(log.address))),
    }) as unknown as DecodedAccountLog[];
    logs.sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0));

    // Identity ordinal of each (tx, account, event signature) and the time of each block with events.
    const ordinals = new Map<string, number>();
    const events: { event: AlertEvent; ordinal: number }[] = [];
    for (const log of logs) {
      const slot = `${log.transactionHash}:${log.address}:${log.topics[0]}`.toLowerCase();
      const ordinal = ordinals.get(slot) ?? 0;
      ordinals.set(slot, ordinal + 1);
      const event = toAlertEvent(this.chainId, { ...log, address: getAddress(log.address) });
      if (event) events.push({ event, ordinal });
    }
    const blocks = new Map<bigint, { hash: Hex; timestamp: bigint }>([[to, end]]);
    for (const { event } of events) {
      if (!blocks.has(event.blockNumber)) {
        const block = await this.hashAt(event.blockNumber);
        if (!block) throw new ReorgInProgress();
        blocks.set(event.blockNumber, block);
      }
      if (blocks.get(event.blockNumber)!.hash !== event.blockHash) throw new ReorgInProgress();
    }
    // The logs not checked above (not notifiable) hang off `to`: its hash unchanged since before the
    // reads says no block under it was replaced meanwhile.
    for (const log of raw) {
      const known = blocks.get(log.blockNumber!);
      if (known && known.hash !== log.blockHash) throw new ReorgInProgress();
    }
    const endAgain = await this.hashAt(to);
    if (endAgain?.hash !== end.hash) throw new ReorgInProgress();

    const nowMs = Date.now();
    await db.transaction().execute(async (trx) => {
      for (const log of created) {
        if (log.args.account && log.blockNumber !== null)
          await addAccount(trx, this.chainId, log.args.account, log.blockNumber);
      }
      for (const { event, ordinal } of events) {
        const block = blocks.get(event.blockNumber)!;
        const stored = await recordEvent(
          trx,
          event,
          eventKey(event, ordinal),
          Number(block.timestamp),
          Math.floor(nowMs / 1000),
        );
        if (stored.state !== "new") continue;
        const subscribers = await activeSubscribers(trx, this.chainId, event.account, event.kind);
        await enqueue(
          trx,
          stored.id,
          subscribers.map((s) => s.id),
          nowMs,
        );
      }
      await markIndexStart(trx, this.chainId, from);
      await storeLogs(trx, this.chainId, raw);
      for (const [number, block] of blocks) await recordBlock(trx, this.chainId, number, block.hash);
      await setCursor(trx, this.chainId, to, end.hash);
      await pruneBlocks(trx, this.chainId, to - this.depth);
    });
    return events.length;
  }
}

/**
 * Starts the watcher: a tick now, then every `pollIntervalMs` (default 2 s). Errors of a tick go to
 * `onError` (default: console.error) and the next tick retries. Returns the stop function.
 */
export function startWatcher(options: WatcherOptions): StopWatcher {
  const watcher = new AlertWatcher(options);
  const interval = options.pollIntervalMs ?? 2_000;
  const onError = options.onError ?? ((error: unknown) => console.error(`[alerts] ${describe(error)}`));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const loop = () => {
    running = watcher
      .tick()
      .then((report) => options.onTick?.(report))
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, interval);
      });
  };
  loop();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
    await watcher.close().catch(onError);
  };
}

function describe(error: unknown): string {
  const short = (error as { shortMessage?: string }).shortMessage;
  return short ?? (error instanceof Error ? error.message : String(error));
}
