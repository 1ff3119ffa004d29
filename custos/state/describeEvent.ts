import type { Address } from "viem";
import type { AccountEvent } from "./events.js";

function time(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** One sentence per account event, for activity lists (CLI status, dApp dashboard). */
export function describeEvent(e: AccountEvent): string {
  const a = e.args;
  switch (e.eventName) {
    case "OwnerChanged":
      return `owner ${a.previousOwner} → ${a.newOwner} (${["creation", "recovery", "rotation"][Number(a.reason)] ?? a.reason})`;
    case "ConfigApplied":
      return `configuration applied (epoch ${a.epoch}): ${(a.guardians as Address[]).length} guardians, threshold ${a.threshold}`;
    case "ConfigChangeRequested":
      return `configuration change requested ${String(a.configHash).slice(0, 10)}…: ${(a.guardians as Address[]).length} guardians, threshold ${a.threshold}`;
    case "ConfigChangeCancelled":
      return `configuration change cancelled ${String(a.configHash).slice(0, 10)}…`;
    case "Locked":
      return `locked by ${a.guardian} until ${time(a.until as bigint)}`;
    case "Unlocked":
      return `unlocked by ${a.guardian}`;
    case "RecoveryApproved":
      return `recovery to ${a.newOwner} approved by ${a.guardian}`;
    case "RecoveryStarted":
      return `recovery to ${a.newOwner} started, executable at ${time(a.executeAfter as bigint)}`;
    case "RecoveryCancelled":
      return `recovery to ${a.newOwner} cancelled`;
    case "RecoveryExecuted":
      return `recovery executed: ${a.previousOwner} → ${a.newOwner}`;
    case "Upgraded":
      return `upgraded to ${a.implementation}`;
    default:
      return e.eventName;
  }
}
