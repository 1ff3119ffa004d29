import { formatDuration, prepareLock, prepareUnlock, sendCall, readCurrentConfig } from "../../custos/index.js";
import { accountOption, ACCOUNT_HELP, connect, keyFromEnv, parse, resolveAccount } from "./cli.js";

const usage = (what: "lock" | "unlock") => `custos ${what} --account <address>

${
  what === "lock"
    ? "Locks the account for its lock period (device lost or stolen): owner-signed operations are refused\nuntil the lock expires or a guardian lifts it. Recovery still works."
    : "Lifts a guardian lock before it expires."
} Sent by a guardian key (CUSTOS_GUARDIAN_KEY),
which pays the gas.

Options:
${ACCOUNT_HELP}`;

export async function runLockCommand(argv: string[], what: "lock" | "unlock"): Promise<void> {
  const parsed = parse(argv, accountOption, usage(what));
  if (!parsed) return;
  const ctx = await connect(parsed.values);
  const account = resolveAccount(parsed.values);
  const guardian = keyFromEnv("CUSTOS_GUARDIAN_KEY", "guardian");
  const config = await readCurrentConfig(ctx.client, account, { fromBlock: ctx.fromBlock });
  const prepare = what === "lock" ? prepareLock : prepareUnlock;
  const call = await prepare(ctx.client, { account, guardian: guardian.address, config });
  const { hash } = await sendCall(ctx.client, ctx.wallet(guardian), call);
  console.log(
    what === "lock"
      ? `account locked for ${formatDuration(config.lockPeriod)} (transaction ${hash})`
      : `account unlocked (transaction ${hash})`,
  );
}
