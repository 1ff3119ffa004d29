/**
 * The notifiable events of a Custos account, decoded from logs into plain records. Which logs count:
 * every recovery step, a signer rotation (OwnerChanged reason 2, not creation or recovery, which has
 * its own RecoveryExecuted), lock/unlock, and a configuration change requested, cancelled or applied
 * after creation (ConfigApplied with epoch > 0).
 */
import { getAbiItem, type Address, type Hex } from "viem";
import { custosAccountAbi, custosFactoryAbi } from "../../custos/index.js";
import type { AlertKind } from "./kinds.js";

export { ALERT_KINDS, isAlertKind, type AlertKind } from "./kinds.js";

/** Event-specific fields, JSON-safe (bigints as decimal strings, times as unix seconds). */
export type AlertData = Record<string, string | number | string[]>;

export interface AlertEvent {
  kind: AlertKind;
  chainId: number;
  account: Address;
  txHash: Hex;
  blockNumber: bigint;
  blockHash: Hex;
  logIndex: number;
  /** Topic 0 of the log (the event signature), part of the event identity. */
  topic: Hex;
  data: AlertData;
}

export const accountCreatedEvent = getAbiItem({ abi: custosFactoryAbi, name: "AccountCreated" });

export const accountEvents = [
  getAbiItem({ abi: custosAccountAbi, name: "RecoveryStarted" }),
  getAbiItem({ abi: custosAccountAbi, name: "RecoveryApproved" }),
  getAbiItem({ abi: custosAccountAbi, name: "RecoveryCancelled" }),
  getAbiItem({ abi: custosAccountAbi, name: "RecoveryExecuted" }),
  getAbiItem({ abi: custosAccountAbi, name: "OwnerChanged" }),
  getAbiItem({ abi: custosAccountAbi, name: "Locked" }),
  getAbiItem({ abi: custosAccountAbi, name: "Unlocked" }),
  getAbiItem({ abi: custosAccountAbi, name: "ConfigChangeRequested" }),
  getAbiItem({ abi: custosAccountAbi, name: "ConfigChangeCancelled" }),
  getAbiItem({ abi: custosAccountAbi, name: "ConfigApplied" }),
] as const;

const REASON_ROTATION = 2;

/** A decoded account log as returned by viem's getLogs with `events: accountEvents`. */
export interface DecodedAccountLog {
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
  transactionHash: Hex | null;
  blockNumber: bigint | null;
  blockHash: Hex | null;
  logIndex: number | null;
  topics: readonly Hex[];
}

const str = (value: unknown): string => String(value);
const time = (value: unknown): number => Number(value as bigint);

function configFields(args: Record<string, unknown>): AlertData {
  return {
    guardians: (args.guardians as readonly Address[]).map((g) => g),
    threshold: str(args.threshold),
    recoveryDelay: str(args.recoveryDelay),
    securityPeriod: str(args.securityPeriod),
    securityWindow: str(args.securityWindow),
    lockPeriod: str(args.lockPeriod),
    configHash: str(args.configHash),
    epoch: str(args.epoch),
  };
}

/** Maps a log to its alert kind and fields, or undefined when the log is not notifiable. */
export function classify(
  eventName: string,
  args: Record<string, unknown>,
): { kind: AlertKind; data: AlertData } | undefined {
  switch (eventName) {
    case "RecoveryStarted":
      return {
        kind: "recovery.started",
        data: {
          nonce: str(args.nonce),
          newOwner: str(args.newOwner),
          executeAfter: time(args.executeAfter),
          guardianCount: str(args.guardianCount),
        },
      };
    case "RecoveryApproved":
      return {
        kind: "recovery.approved",
        data: { approvalHash: str(args.approvalHash), guardian: str(args.guardian), newOwner: str(args.newOwner) },
      };
    case "RecoveryCancelled":
      return { kind: "recovery.cancelled", data: { nonce: str(args.nonce), newOwner: str(args.newOwner) } };
    case "RecoveryExecuted":
      return {
        kind: "recovery.executed",
        data: { nonce: str(args.nonce), previousOwner: str(args.previousOwner), newOwner: str(args.newOwner) },
      };
    case "OwnerChanged":
      if (Number(args.reason) !== REASON_ROTATION) return undefined;
      return { kind: "owner.rotated", data: { previousOwner: str(args.previousOwner), newOwner: str(args.newOwner) } };
    case "Locked":
      return { kind: "account.locked", data: { guardian: str(args.guardian), until: time(args.until) } };
    case "Unlocked":
      return { kind: "account.unlocked", data: { guardian: str(args.guardian) } };
    case "ConfigChangeRequested":
      return {
        kind: "config.requested",
        data: { ...configFields(args), readyAt: time(args.readyAt), expiresAt: time(args.expiresAt) },
      };
    case "ConfigChangeCancelled":
      return { kind: "config.cancelled", data: { epoch: str(args.epoch), configHash: str(args.configHash) } };
    case "ConfigApplied":
      if (BigInt(args.epoch as bigint) === 0n) return undefined;
      return { kind: "config.applied", data: configFields(args) };
    default:
      return undefined;
  }
}

/** Turns a decoded log into an alert event, or undefined (not notifiable, or still pending). */
export function toAlertEvent(chainId: number, log: DecodedAccountLog): AlertEvent | undefined {
  if (log.transactionHash === null || log.blockHash === null || log.blockNumber === null || log.logIndex === null) {
    return undefined;
  }
  const classified = classify(log.eventName, log.args);
  if (!classified) return undefined;
  return {
    ...classified,
    chainId,
    account: log.address,
    txHash: log.transactionHash,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash,
    logIndex: log.logIndex,
    topic: log.topics[0]!,
  };
}
