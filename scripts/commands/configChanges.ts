import type { Address } from "viem";
import {
  type GuardianConfig,
  hashConfig,
  AccountStateError,
  InvalidInputError,
  formatDuration,
  addGuardian,
  removeGuardian,
  setDelays,
  setThreshold,
  prepareCancelConfigChange,
  prepareConfirmConfigChange,
  prepareRequestConfigChange,
  readCurrentConfig,
  readAccountState,
} from "../../custos/index.js";
import {
  accountOption,
  ACCOUNT_HELP,
  connect,
  keyFromEnv,
  parse,
  parseAddress,
  parseDuration,
  parseUint,
  subcommand,
  UsageError,
  type CliContext,
} from "./cli.js";
import { parseVia, sendOwnerCalls, VIA_HELP, VIA_OPTION } from "./transport.js";
import { describeConfig } from "./status.js";
import { resolveAccount } from "./cli.js";

const GUARDIANS_USAGE = `custos guardians <request|confirm|cancel> --account <address> [options]

Guardian changes are delayed (S5): "request" starts the security period, "confirm" applies the
change inside its confirmation window, "cancel" withdraws it. Adding guardians to an account that has
none is immediate. Signed by the owner key (CUSTOS_OWNER_KEY).

  custos guardians request --add <address> [--threshold <n>]
  custos guardians request --remove <address> [--threshold <n>]
  custos guardians confirm [--hash <configHash>]   (the only pending change when omitted)
  custos guardians cancel  [--hash <configHash>]

Options:
${ACCOUNT_HELP}
${VIA_HELP}`;

const CONFIG_USAGE = `custos config <threshold|delays|confirm|cancel> --account <address> [options]

Threshold and delay changes are delayed like guardian changes (S5). Signed by the owner key
(CUSTOS_OWNER_KEY).

  custos config threshold <n>
  custos config delays [--recovery-delay <d>] [--security-period <d>] [--security-window <d>] [--lock-period <d>]
  custos config confirm [--hash <configHash>]
  custos config cancel  [--hash <configHash>]

Durations: 90, 90s, 2m, 1h, 3d.

Options:
${ACCOUNT_HELP}
${VIA_HELP}`;

async function requestChange(
  ctx: CliContext,
  values: Record<string, unknown>,
  next: (current: GuardianConfig) => GuardianConfig,
): Promise<void> {
  const account = resolveAccount(values);
  const owner = keyFromEnv("CUSTOS_OWNER_KEY", "owner");
  const current = await readCurrentConfig(ctx.client, account, { fromBlock: ctx.fromBlock });
  const nextConfig = next(current);
  const call = await prepareRequestConfigChange(ctx.client, {
    account,
    next: nextConfig,
    sender: owner.address,
    config: current,
  });
  const result = await sendOwnerCalls(ctx, owner, account, [call], parseVia(values.via));
  const immediate = current.guardians.length === 0;
  console.log(
    immediate
      ? `configuration applied at once (the account had no guardians) — transaction ${result.transactionHash}`
      : `configuration change ${hashConfig(nextConfig)} requested — confirmable in ${formatDuration(current.securityPeriod)}, ` +
          `for ${formatDuration(current.securityWindow)} (transaction ${result.transactionHash})`,
  );
  for (const line of describeConfig(nextConfig)) console.log(line);
}

async function pickPending(ctx: CliContext, account: Address, hash: unknown) {
  const state = await readAccountState(ctx.client, account, { fromBlock: ctx.fromBlock });
  if (state.pendingChanges.length === 0) {
    throw new AccountStateError("NO_PENDING_CHANGE", "no configuration change is pending on this account");
  }
  if (hash !== undefined) {
    const found = state.pendingChanges.find((c) => c.configHash.toLowerCase() === String(hash).toLowerCase());
    if (!found) throw new InvalidInputError(`no pending configuration change has hash ${String(hash)}`);
    return found;
  }
  if (state.pendingChanges.length > 1) {
    throw new UsageError(
      `several changes are pending; choose one with --hash: ${state.pendingChanges.map((c) => c.configHash).join(", ")}`,
    );
  }
  return state.pendingChanges[0]!;
}

async function confirmOrCancel(ctx: CliContext, values: Record<string, unknown>, action: "confirm" | "cancel") {
  const account = resolveAccount(values);
  const owner = keyFromEnv("CUSTOS_OWNER_KEY", "owner");
  const change = await pickPending(ctx, account, values.hash);
  const call =
    action === "confirm"
      ? await prepareConfirmConfigChange(ctx.client, {
          account,
          next: change.config,
          sender: owner.address,
          fromBlock: ctx.fromBlock,
        })
      : await prepareCancelConfigChange(ctx.client, {
          account,
          nextConfigHash: change.configHash,
          sender: owner.address,
          fromBlock: ctx.fromBlock,
        });
  const result = await sendOwnerCalls(ctx, owner, account, [call], parseVia(values.via));
  console.log(
    `configuration change ${change.configHash} ${action === "confirm" ? "confirmed" : "cancelled"} (transaction ${result.transactionHash})`,
  );
}

const CHANGE_OPTIONS = { ...accountOption, ...VIA_OPTION, hash: { type: "string" } } as const;

export async function runGuardiansCommand(argv: string[]): Promise<void> {
  const command = subcommand(argv, GUARDIANS_USAGE, ["request", "confirm", "cancel"], "guardians");
  if (!command) return;
  const { sub, rest } = command;
  const parsed = parse(
    rest,
    { ...CHANGE_OPTIONS, add: { type: "string" }, remove: { type: "string" }, threshold: { type: "string" } },
    GUARDIANS_USAGE,
  );
  if (!parsed) return;
  const v = parsed.values;
  parseVia(v.via);
  const ctx = await connect(v);
  if (sub !== "request") return confirmOrCancel(ctx, v, sub as "confirm" | "cancel");
  if ((v.add === undefined) === (v.remove === undefined)) {
    throw new UsageError("give exactly one of --add <address> or --remove <address>");
  }
  const threshold = v.threshold !== undefined ? parseUint(String(v.threshold), "--threshold") : undefined;
  if (v.add !== undefined) {
    const guardian = parseAddress(v.add, "--add");
    return requestChange(ctx, v, (current) => addGuardian(current, guardian, { threshold }));
  }
  const guardian = parseAddress(v.remove, "--remove");
  return requestChange(ctx, v, (current) => removeGuardian(current, guardian, { threshold }));
}

export async function runConfigCommand(argv: string[]): Promise<void> {
  const command = subcommand(argv, CONFIG_USAGE, ["threshold", "delays", "confirm", "cancel"], "config");
  if (!command) return;
  const { sub, rest } = command;
  const parsed = parse(
    rest,
    {
      ...CHANGE_OPTIONS,
      "recovery-delay": { type: "string" },
      "security-period": { type: "string" },
      "security-window": { type: "string" },
      "lock-period": { type: "string" },
    },
    CONFIG_USAGE,
  );
  if (!parsed) return;
  const v = parsed.values;
  parseVia(v.via);
  if (sub === "threshold") {
    const value = parsed.positionals[0];
    if (value === undefined) throw new UsageError("custos config threshold needs the new threshold, e.g. 2");
    const threshold = parseUint(value, "the threshold");
    const ctx = await connect(v);
    return requestChange(ctx, v, (current) => setThreshold(current, threshold));
  }
  const ctx = await connect(v);
  if (sub !== "delays") return confirmOrCancel(ctx, v, sub as "confirm" | "cancel");
  const given = v as Record<string, unknown>;
  const delay = (name: string) =>
    given[name] !== undefined ? parseDuration(String(given[name]), `--${name}`) : undefined;
  const delays = {
    recoveryDelay: delay("recovery-delay"),
    securityPeriod: delay("security-period"),
    securityWindow: delay("security-window"),
    lockPeriod: delay("lock-period"),
  };
  if (Object.values(delays).every((d) => d === undefined)) {
    throw new UsageError("give at least one of --recovery-delay, --security-period, --security-window, --lock-period");
  }
  return requestChange(ctx, v, (current) => setDelays(current, delays));
}
