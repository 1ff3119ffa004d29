import { formatEther } from "viem";
import {
  formatDuration,
  type GuardianConfig,
  readAccountState,
  type AccountState,
  describeEvent,
} from "../../custos/index.js";
import { accountOption, ACCOUNT_HELP, connect, parse, resolveAccount } from "./cli.js";

const USAGE = `custos status --account <address> [--json]

Shows the account's state rebuilt from the chain and its events: owner, guardians and delays, lock,
pending recovery with its countdown, pending configuration changes, and the activity list.

Options:
${ACCOUNT_HELP}
  --json                 print the state as JSON
  --activity <n>         how many events to list (default 15)`;

function time(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

export function describeConfig(config: GuardianConfig, indent = "  "): string[] {
  const lines = [
    config.guardians.length
      ? `${indent}${config.threshold} of ${config.guardians.length} guardians needed to recover`
      : `${indent}no guardians`,
  ];
  config.guardians.forEach((g, i) => lines.push(`${indent}  #${i} ${g}`));
  lines.push(
    `${indent}delays: recovery ${formatDuration(config.recoveryDelay)}, security period ${formatDuration(config.securityPeriod)}, ` +
      `window ${formatDuration(config.securityWindow)}, lock ${formatDuration(config.lockPeriod)}`,
  );
  return lines;
}

export function formatState(state: AccountState, activity = 15): string {
  const lines = [
    `Account    ${state.address} (chain ${state.chainId}, block ${state.blockNumber}, chain time ${time(state.now)})`,
    `Balance    ${formatEther(state.balance)} ETH`,
    `Owner      ${state.owner}`,
    `Guardians`,
    ...describeConfig(state.config),
    `Lock       ${state.locked ? `LOCKED for ${formatDuration(state.lockSecondsLeft)} more (until ${time(state.lockedUntil)})` : "not locked"}`,
  ];
  if (state.recovery) {
    const r = state.recovery;
    lines.push(
      `Recovery   PENDING: new owner ${r.newOwner}; ` +
        (r.executable
          ? "executable now (custos recovery execute)"
          : `executable in ${formatDuration(r.secondsLeft)} (at ${time(r.executeAfter)})`),
      `           the owner key is frozen until it is executed or cancelled`,
    );
  } else {
    lines.push("Recovery   none pending");
  }
  if (state.recordedApprovals.length) {
    lines.push(`Approvals recorded on-chain (threshold ${state.config.threshold}):`);
    for (const a of state.recordedApprovals) lines.push(`  ${a.guardian} for new owner ${a.newOwner}`);
  }
  if (state.pendingChanges.length) {
    lines.push("Pending configuration changes:");
    for (const c of state.pendingChanges) {
      const when =
        c.status === "waiting"
          ? `confirmable in ${formatDuration(c.secondsUntilReady)}, for ${formatDuration(c.expiresAt - c.readyAt)}`
          : c.status === "confirmable"
            ? `confirmable now, for ${formatDuration(c.secondsUntilExpiry)} more`
            : "expired (request it again)";
      lines.push(`  ${c.configHash} — ${when}`, ...describeConfig(c.config, "    "));
    }
  } else {
    lines.push("Pending configuration changes: none");
  }
  lines.push(`Nonce ${state.nonce}, epoch ${state.epoch}`);
  lines.push(`Activity (latest first):`);
  for (const e of state.activity.slice(0, activity)) {
    lines.push(`  ${time(e.timestamp)}  ${describeEvent(e)}`);
  }
  return lines.join("\n");
}

export async function runStatusCommand(argv: string[]): Promise<void> {
  const parsed = parse(
    argv,
    { ...accountOption, json: { type: "boolean", default: false }, activity: { type: "string", default: "15" } },
    USAGE,
  );
  if (!parsed) return;
  const ctx = await connect(parsed.values);
  const account = resolveAccount(parsed.values);
  const state = await readAccountState(ctx.client, account, { fromBlock: ctx.fromBlock });
  if (parsed.values.json) {
    console.log(JSON.stringify(state, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2));
  } else {
    console.log(formatState(state, Number(parsed.values.activity)));
  }
}
