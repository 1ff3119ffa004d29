/**
 * The Custos command line: `npm run custos -- <command> ...`. Every flow of the product from a terminal,
 * over the client library in custos/. Bad input exits non-zero with one line `custos: <sentence>`.
 */
import { UsageError } from "./commands/cli.js";
import { errorLine } from "./commands/errorLine.js";

const USAGE = `custos <command> [options]   (every command takes --help)

Accounts
  account create            create an account (owner key, guardians, threshold, delays)
  status                    the account's state: owner, guardians, lock, recovery, pending changes, activity
  send                      send ETH or call a contract from the account
Configuration (delayed by the security period)
  guardians request|confirm|cancel   add or remove a guardian
  config threshold|delays|confirm|cancel
Guardians
  lock | unlock             freeze the owner key (device lost or stolen) / lift the freeze
Recovery (lost signer)
  recovery request|approve|start|execute|cancel-approve|cancel
  safe sign|exec            a Safe guardian's owners sign and send its on-chain approval
Signer rotation (exposed seed)
  rotate request|approve|submit
Token approvals
  approvals list|revoke-all
Backup
  backup ...                recovery kit and seed backup commands
Alerts (e-mail or signed webhook when a recovery, rotation, lock or configuration event happens)
  alerts subscribe|confirm|unsubscribe|list

Keys are read from the environment, never from arguments: CUSTOS_OWNER_KEY, CUSTOS_GUARDIAN_KEY,
CUSTOS_NEW_OWNER_KEY, CUSTOS_RELAYER_KEY. CUSTOS_ACCOUNT may replace --account.`;

type Runner = (argv: string[]) => Promise<void>;

const COMMANDS: Record<string, () => Promise<Runner>> = {
  account: async () => (await import("./commands/account.js")).runAccountCommand,
  status: async () => (await import("./commands/status.js")).runStatusCommand,
  send: async () => (await import("./commands/send.js")).runSendCommand,
  guardians: async () => (await import("./commands/configChanges.js")).runGuardiansCommand,
  config: async () => (await import("./commands/configChanges.js")).runConfigCommand,
  lock: async () => {
    const { runLockCommand } = await import("./commands/lock.js");
    return (argv) => runLockCommand(argv, "lock");
  },
  unlock: async () => {
    const { runLockCommand } = await import("./commands/lock.js");
    return (argv) => runLockCommand(argv, "unlock");
  },
  recovery: async () => (await import("./commands/recovery.js")).runRecoveryCommand,
  safe: async () => (await import("./commands/safe.js")).runSafeCommand,
  rotate: async () => (await import("./commands/rotate.js")).runRotateCommand,
  approvals: async () => (await import("./commands/tokenApprovals.js")).runApprovalsCommand,
  backup: loadBackup,
  alerts: async () => (await import("./commands/alerts.js")).runAlertsCommand,
};

/** `custos backup ...` lives in its own module, which may not exist in every checkout. */
async function loadBackup(): Promise<Runner> {
  const path = "./commands/backup.js";
  let module: { runBackupCommand?: Runner };
  try {
    module = (await import(path)) as { runBackupCommand?: Runner };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((error as Error).message).includes("backup")) {
      throw new UsageError("backup commands unavailable");
    }
    throw error;
  }
  if (typeof module.runBackupCommand !== "function") throw new UsageError("backup commands unavailable");
  return module.runBackupCommand;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    if (command === undefined) process.exitCode = 2;
    return;
  }
  const load = COMMANDS[command];
  if (!load) throw new UsageError(`unknown command "${command}" (see custos --help)`);
  await (
    await load()
  )(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`custos: ${errorLine(error)}`);
  if (process.env.CUSTOS_DEBUG) console.error(error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
