/**
 * `custos alerts <subscribe|confirm|unsubscribe|list>`: alert subscriptions from a terminal, in the
 * same database the watcher and the dApp use (env CUSTOS_DATABASE_URL or --db: a SQLite file or a
 * postgres:// URL).
 *
 *   alerts subscribe --account <0x…> (--email <address> | --webhook <url>) [--role owner|guardian]
 *                    [--events <kind,…>] [--network <name> | --chain-id <n>]
 *   alerts confirm <token>        the token from the confirmation e-mail or webhook
 *   alerts unsubscribe <token>    the token from a message's unsubscribe link (or the link itself)
 *   alerts list [--account <0x…>] [--network <name> | --chain-id <n>]
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadDeployment } from "../../custos/node.js";
import { mailerFromEnv, mailFromEnv } from "../../server/alerts/channels.js";
import { AlertError } from "../../server/alerts/errors.js";
import { ALERT_KINDS } from "../../server/alerts/events.js";
import { appUrlFromEnv } from "../../server/alerts/links.js";
import {
  confirmSubscription,
  listSubscriptions,
  subscribe,
  unsubscribe,
  type SubscriptionServices,
} from "../../server/alerts/subscriptions.js";
import { webhookPolicyFromEnv } from "../../server/alerts/webhookPolicy.js";
import { databaseConfigFromEnv, openDatabase, parseDatabaseUrl } from "../../server/db/index.js";

/** Bad command-line input: the entry point prints the message and exits 1. */
export class AlertsCommandError extends Error {
  override name = "AlertsCommandError";
}

const USAGE = `usage: custos alerts <command>
  subscribe --account <0x…> (--email <address> | --webhook <url>) [--role owner|guardian]
            [--events <kind,…>] [--network <name> | --chain-id <n>] [--db <file | postgres://…>]
  confirm <token | confirmation link> [--db …]
  unsubscribe <token | unsubscribe link> [--db …]
  list [--account <0x…>] [--network <name> | --chain-id <n>] [--db …]
Event kinds (default all): ${ALERT_KINDS.join(", ")}
Env: CUSTOS_DATABASE_URL, CUSTOS_SMTP_URL, CUSTOS_MAIL_FROM, CUSTOS_APP_URL, CUSTOS_NETWORK,
CUSTOS_WEBHOOK_ALLOW_PRIVATE (1: allow webhooks to loopback and private addresses).`;

const OPTIONS = {
  account: { type: "string" },
  email: { type: "string" },
  webhook: { type: "string" },
  role: { type: "string" },
  events: { type: "string" },
  network: { type: "string" },
  "chain-id": { type: "string" },
  db: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function chainIdOf(values: { network?: string; "chain-id"?: string }): number {
  if (values["chain-id"] !== undefined) {
    const id = Number(values["chain-id"]);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AlertsCommandError("--chain-id must be a positive integer");
    return id;
  }
  return loadDeployment(values.network ?? process.env.CUSTOS_NETWORK ?? "localhost").chainId;
}

/** Accepts a bare token or a confirm/unsubscribe link that carries it. */
function tokenOf(arg: string | undefined, what: string): string {
  if (!arg) throw new AlertsCommandError(`${what}: the token is missing\n${USAGE}`);
  try {
    const url = new URL(arg);
    const token =
      url.searchParams.get("token") ?? url.searchParams.get("confirm") ?? url.searchParams.get("unsubscribe");
    if (token) return token;
  } catch {
    // not a URL: a bare token
  }
  return arg;
}

const COMMANDS = ["subscribe", "confirm", "unsubscribe", "list"] as const;

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new AlertsCommandError(`${(error as Error).message}\n${USAGE}`);
  }
}

export async function runAlertsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new AlertsCommandError(`unknown alerts command "${command}"\n${USAGE}`);
  }
  const db = await openDatabase(values.db ? parseDatabaseUrl(values.db) : databaseConfigFromEnv());
  try {
    const services: SubscriptionServices = {
      db,
      appUrl: appUrlFromEnv(),
      webhooks: webhookPolicyFromEnv(),
      mail: (() => {
        const mailer = mailerFromEnv();
        return mailer ? { mailer, from: mailFromEnv() } : undefined;
      })(),
    };
    switch (command) {
      case "subscribe": {
        if (!values.account) throw new AlertsCommandError("subscribe: --account is required");
        if (!values.email === !values.webhook) {
          throw new AlertsCommandError("subscribe: give exactly one of --email or --webhook");
        }
        const result = await subscribe(services, {
          chainId: chainIdOf(values),
          account: values.account,
          channel: values.email ? "email" : "webhook",
          target: (values.email ?? values.webhook)!,
          role: (values.role ?? "owner") as "owner" | "guardian",
          events: values.events ? values.events.split(",").map((e) => e.trim()) : [],
        });
        const s = result.subscription;
        console.log(`Subscription ${s.id} for account ${s.account} (chain ${s.chainId}) is pending.`);
        console.log(
          s.channel === "email"
            ? `A one-time confirmation link was sent to ${s.target}; open it (or run \`custos alerts confirm <token>\`).`
            : `A signed confirmation was POSTed to ${s.target}; it carries the token for \`custos alerts confirm <token>\`.`,
        );
        if (result.webhookSecret) {
          console.log(`\nWebhook signing secret (shown once, keep it with your receiver):\n  ${result.webhookSecret}`);
        }
        return;
      }
      case "confirm": {
        const s = await confirmSubscription(services, tokenOf(arg, "confirm"));
        console.log(`Subscription ${s.id} is active: alerts for ${s.account} go to ${s.target}.`);
        return;
      }
      case "unsubscribe": {
        const s = await unsubscribe(services, tokenOf(arg, "unsubscribe"));
        console.log(`Subscription ${s.id} is stopped: no more alerts for ${s.account} to ${s.target}.`);
        return;
      }
      case "list": {
        const chainId = values.network || values["chain-id"] ? chainIdOf(values) : undefined;
        const subs = await listSubscriptions(db, { chainId, account: values.account });
        if (subs.length === 0) console.log("No subscriptions.");
        for (const s of subs) {
          const events = s.events.length === ALERT_KINDS.length ? "all events" : s.events.join(",");
          console.log(
            `${s.id}  ${s.status.padEnd(12)} chain ${s.chainId}  ${s.account}  ${s.role}  ${s.channel} ${s.target}  ${events}`,
          );
        }
        return;
      }
      default:
        throw new AlertsCommandError(`unknown alerts command "${command}"\n${USAGE}`);
    }
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runAlertsCommand(process.argv.slice(2)).catch((error: unknown) => {
    const message =
      error instanceof AlertError || error instanceof AlertsCommandError
        ? ((error as { shortMessage?: string }).shortMessage ?? error.message)
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(`alerts: ${message}`);
    process.exitCode = 1;
  });
}
