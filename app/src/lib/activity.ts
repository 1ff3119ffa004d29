import type { AccountEvent } from "@custos";
import type { SendRecord } from "./sends";

/** One line of the dashboard's activity list: what happened, in words a person reads. */
export interface ActivityRow {
  key: string;
  timestamp: number;
  text: string;
  transactionHash?: string;
  kind: "send" | "recovery" | "guardians" | "lock" | "owner" | "created" | "other";
}

export interface Names {
  /** "Alice" for a named address, else a short form of it. */
  nameOf: (address: string) => string;
  /** The owner this device holds, if any: it is called "this device's phrase". */
  ownOwner?: string;
}

const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();
const dateOf = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toLocaleString();

function ownerName(address: unknown, names: Names): string {
  if (names.ownOwner && same(address, names.ownOwner)) return "this device's phrase";
  return `a new phrase (${names.nameOf(String(address))})`;
}

/**
 * The account's events grouped into readable rows, newest first: account creation is one row (not an
 * owner change from 0x0…0 plus a configuration), one recovery is one row from its start to its end
 * (approvals, start, execution or cancellation), addresses carry the names the user gave them, and
 * sends (from the chain, and this device's not yet read back) are listed with their transaction hash.
 */
export function activityRows(eventsNewestFirst: readonly AccountEvent[], sends: readonly SendRecord[], names: Names) {
  const events = [...eventsNewestFirst].reverse();
  const rows: ActivityRow[] = [];
  const txs = new Map<string, AccountEvent[]>();
  for (const e of events) txs.set(e.transactionHash, [...(txs.get(e.transactionHash) ?? []), e]);
  const openRecovery = new Map<string, ActivityRow & { approvers: string[]; started?: bigint }>();
  const handled = new Set<AccountEvent>();

  for (const e of events) {
    if (handled.has(e)) continue;
    const a = e.args;
    const base = { timestamp: Number(e.timestamp), transactionHash: e.transactionHash };
    const key = `${e.transactionHash}-${e.logIndex}`;
    const inTx = txs.get(e.transactionHash) ?? [];
    switch (e.eventName) {
      case "OwnerChanged": {
        const reason = Number(a.reason);
        if (reason === 0) {
          const config = inTx.find((x) => x.eventName === "ConfigApplied");
          if (config) handled.add(config);
          const guardians = (config?.args.guardians as string[] | undefined) ?? [];
          rows.push({
            ...base,
            key,
            kind: "created",
            text: `Account created with ${guardians.length} guardian${guardians.length === 1 ? "" : "s"} (${guardians.map(names.nameOf).join(", ")}), ${config?.args.threshold ?? "?"} needed for a recovery`,
          });
        } else if (reason === 2) {
          rows.push({ ...base, key, kind: "owner", text: "Recovery phrase replaced: the old phrase no longer works" });
        }
        // reason 1 (recovery) is part of the recovery's row
        break;
      }
      case "ConfigApplied": {
        const guardians = a.guardians as string[];
        rows.push({
          ...base,
          key,
          kind: "guardians",
          text: `Guardians are now ${guardians.map(names.nameOf).join(", ")}; ${a.threshold} needed for a recovery`,
        });
        break;
      }
      case "ConfigChangeRequested": {
        const guardians = a.guardians as string[];
        rows.push({
          ...base,
          key,
          kind: "guardians",
          text: `Guardian change requested: ${guardians.map(names.nameOf).join(", ")}; ${a.threshold} needed`,
        });
        break;
      }
      case "ConfigChangeCancelled":
        rows.push({ ...base, key, kind: "guardians", text: "Guardian change cancelled" });
        break;
      case "Locked":
        rows.push({
          ...base,
          key,
          kind: "lock",
          text: `Locked by ${names.nameOf(String(a.guardian))} until ${dateOf(a.until as bigint)}`,
        });
        break;
      case "Unlocked":
        rows.push({ ...base, key, kind: "lock", text: `Unlocked by ${names.nameOf(String(a.guardian))}` });
        break;
      case "RecoveryApproved":
      case "RecoveryStarted": {
        const owner = String(a.newOwner).toLowerCase();
        let row = openRecovery.get(owner);
        if (!row) {
          row = { ...base, key, kind: "recovery", text: "", approvers: [] };
          openRecovery.set(owner, row);
          rows.push(row);
        }
        if (e.eventName === "RecoveryApproved") {
          const who = names.nameOf(String(a.guardian));
          if (!row.approvers.includes(who)) row.approvers.push(who);
        } else {
          row.started = e.timestamp;
          row.timestamp = Number(e.timestamp);
          row.transactionHash = e.transactionHash;
        }
        row.text = `Recovery to ${ownerName(a.newOwner, names)}: ${row.started ? `started, can finish after ${dateOf(a.executeAfter as bigint)}` : "approvals arriving"}${row.approvers.length ? ` (approved by ${row.approvers.join(", ")})` : ""}`;
        break;
      }
      case "RecoveryExecuted":
      case "RecoveryCancelled": {
        const owner = String(a.newOwner).toLowerCase();
        const row = openRecovery.get(owner);
        const outcome = e.eventName === "RecoveryExecuted" ? "finished" : "cancelled";
        const text = `Recovery to ${ownerName(a.newOwner, names)}: ${row?.started ? `started ${dateOf(row.started)}, ` : ""}${outcome}${row?.approvers.length ? ` (approved by ${row.approvers.join(", ")})` : ""}`;
        if (row) {
          Object.assign(row, { text, timestamp: Number(e.timestamp), transactionHash: e.transactionHash });
          openRecovery.delete(owner);
        } else rows.push({ ...base, key, kind: "recovery", text });
        break;
      }
      case "Upgraded":
        rows.push({ ...base, key, kind: "other", text: "Account software upgraded" });
        break;
      default:
        rows.push({ ...base, key, kind: "other", text: e.eventName });
    }
  }
  for (const s of sends) {
    rows.push({
      key: `send-${s.userOpHash}`,
      timestamp: s.timestamp,
      kind: "send",
      transactionHash: s.transactionHash,
      text: `Sent ${s.amount} ${s.symbol} to ${names.nameOf(s.to)}`,
    });
  }
  return rows.sort((x, y) => y.timestamp - x.timestamp);
}
