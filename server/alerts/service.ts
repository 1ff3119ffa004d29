/**
 * The alert watcher configured from the environment, in one call: used by the local stack
 * (scripts/stack.ts) and by scripts/watcher.ts. Env: CUSTOS_DATABASE_URL, CUSTOS_SMTP_URL,
 * CUSTOS_MAIL_FROM, CUSTOS_APP_URL, CUSTOS_ALERT_CONFIRMATIONS, CUSTOS_WEBHOOK_ALLOW_PRIVATE,
 * CUSTOS_WEBHOOK_TIMEOUT_MS.
 */
import { createPublicClient, http, type PublicClient } from "viem";
import type { CustosDeployment } from "../../custos/node.js";
import { databaseConfigFromEnv, openDatabase, parseDatabaseUrl } from "../db/index.js";
import { mailerFromEnv, mailFromEnv } from "./channels.js";
import { appUrlFromEnv } from "./links.js";
import { webhookPolicyFromEnv } from "./webhookPolicy.js";
import { startWatcher, type StopWatcher, type WatcherOptions } from "./watcher.js";

export interface AlertServiceOptions {
  rpcUrl: string;
  deployment: Pick<CustosDeployment, "chainId" | "factory" | "deploymentBlock">;
  /** Database (a SQLite path or postgres:// URL; default env CUSTOS_DATABASE_URL, else .data/custos.sqlite). */
  database?: string;
  /** @deprecated the SQLite file; use `database`. */
  dbPath?: string;
  pollIntervalMs?: number;
  confirmations?: number;
  /** Leadership lease among several watchers (see WatcherOptions.lease). */
  lease?: WatcherOptions["lease"];
  env?: NodeJS.ProcessEnv;
  onError?: WatcherOptions["onError"];
  onTick?: WatcherOptions["onTick"];
}

/**
 * Opens the database, starts the watcher; the returned stop function stops it and closes the
 * database. A database that cannot be opened is reported through `onError` (default: the console).
 */
export function startAlertService(options: AlertServiceOptions): StopWatcher {
  const env = options.env ?? process.env;
  const given = options.database ?? options.dbPath;
  const config = given ? parseDatabaseUrl(given) : databaseConfigFromEnv(env);
  const onError = options.onError ?? ((error: unknown) => console.error(`[alerts] ${String(error)}`));
  const mailer = mailerFromEnv(env);
  if (!mailer) console.warn("[alerts] CUSTOS_SMTP_URL is not set: e-mail alerts are queued but cannot be sent");
  let stopped = false;
  const running = openDatabase(config).then((db) => {
    if (stopped) {
      void db.destroy();
      return undefined;
    }
    const stop = startWatcher({
      client: createPublicClient({ transport: http(options.rpcUrl) }) as PublicClient,
      deployment: options.deployment,
      db,
      mailer,
      mailFrom: mailFromEnv(env),
      appUrl: appUrlFromEnv(env),
      webhooks: webhookPolicyFromEnv(env),
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      confirmations: options.confirmations ?? Number(env.CUSTOS_ALERT_CONFIRMATIONS ?? 0),
      lease: options.lease,
      onError: options.onError,
      onTick: options.onTick,
    });
    return { db, stop };
  }, onError);
  return async () => {
    stopped = true;
    const started = await running;
    if (!started) return;
    await started.stop();
    await started.db.destroy();
  };
}
