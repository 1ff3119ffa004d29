/**
 * The alert watcher configured from the environment, in one call: used by the local stack
 * (scripts/stack.ts) and by scripts/watcher.ts. Env: CUSTOS_DB, CUSTOS_SMTP_URL, CUSTOS_MAIL_FROM,
 * CUSTOS_APP_URL, CUSTOS_ALERT_CONFIRMATIONS.
 */
import { createPublicClient, http, type PublicClient } from "viem";
import type { CustosDeployment } from "../../custos/deployments.js";
import { openDatabase } from "../db.js";
import { mailerFromEnv, mailFromEnv } from "./channels.js";
import { appUrlFromEnv } from "./links.js";
import { startWatcher, type StopWatcher, type WatcherOptions } from "./watcher.js";

export interface AlertServiceOptions {
  rpcUrl: string;
  deployment: Pick<CustosDeployment, "chainId" | "factory" | "deploymentBlock">;
  /** Database file (default env CUSTOS_DB, else .data/custos.sqlite). */
  dbPath?: string;
  pollIntervalMs?: number;
  confirmations?: number;
  env?: NodeJS.ProcessEnv;
  onError?: WatcherOptions["onError"];
  onTick?: WatcherOptions["onTick"];
}

/** Opens the database, starts the watcher; the returned stop function stops it and closes the database. */
export function startAlertService(options: AlertServiceOptions): StopWatcher {
  const env = options.env ?? process.env;
  const db = openDatabase(options.dbPath);
  const mailer = mailerFromEnv(env);
  if (!mailer) console.warn("[alerts] CUSTOS_SMTP_URL is not set: e-mail alerts are queued but cannot be sent");
  const stop = startWatcher({
    client: createPublicClient({ transport: http(options.rpcUrl) }) as PublicClient,
    deployment: options.deployment,
    db,
    mailer,
    mailFrom: mailFromEnv(env),
    appUrl: appUrlFromEnv(env),
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    confirmations: options.confirmations ?? Number(env.CUSTOS_ALERT_CONFIRMATIONS ?? 0),
    onError: options.onError,
    onTick: options.onTick,
  });
  return async () => {
    await stop();
    db.close();
  };
}
