/**
 * What this device knows about the account's backups (D6, backup health): whether a recovery kit and
 * a paper backup were made, when each was last checked against the chain, and what the kit holds
 * (owner, guardians, threshold, delays) so a kit written before a change can be called out of date.
 * Public data only (no words, no passwords), in localStorage per account.
 */
import type { Address } from "viem";
import type { RecoveryContext } from "@custos/backup";
import type { GuardianConfig } from "@custos";

const KEY = "custos.backups.v1";
const EVENT = "custos-backups";
/** A check older than this earns a gentle reminder. */
export const CHECK_REMINDER_DAYS = 90;

export interface KitRecord {
  /** ISO time the kit was written (or the checked kit says it was). */
  writtenAt: string;
  owner: Address;
  guardians: string[];
  threshold: number;
  delays: RecoveryContext["delays"];
}

export interface BackupRecord {
  kit?: KitRecord;
  kitVerifiedAt?: string;
  /** The words written on paper (the quiz passed), for this owner. */
  paper?: { madeAt: string; owner: Address };
  paperVerifiedAt?: string;
}

type Store = Record<string, BackupRecord>;
let cachedRaw: string | null = null;
let cached: Store = {};

function readStore(): Store {
  if (typeof window === "undefined") return {};
  const raw = window.localStorage.getItem(KEY);
  if (raw === cachedRaw) return cached;
  cachedRaw = raw;
  try {
    cached = raw ? (JSON.parse(raw) as Store) : {};
  } catch {
    cached = {};
  }
  return cached;
}

const EMPTY: BackupRecord = {};
export function readBackupRecord(account: string | undefined): BackupRecord {
  if (!account) return EMPTY;
  return readStore()[account.toLowerCase()] ?? EMPTY;
}

export function updateBackupRecord(account: string, change: (r: BackupRecord) => BackupRecord): void {
  const store = { ...readStore() };
  store[account.toLowerCase()] = change(store[account.toLowerCase()] ?? {});
  window.localStorage.setItem(KEY, JSON.stringify(store));
  window.dispatchEvent(new Event(EVENT));
}

export function kitRecordOf(context: RecoveryContext, owner: Address, writtenAt = new Date().toISOString()): KitRecord {
  return {
    writtenAt,
    owner,
    guardians: context.guardians.map((g) => g.address.toLowerCase()).sort(),
    threshold: context.threshold,
    delays: context.delays,
  };
}

/** Why a kit no longer matches the account (empty when it still does). */
export function kitStaleReasons(kit: KitRecord, owner: Address, config: GuardianConfig): string[] {
  const reasons: string[] = [];
  if (kit.owner.toLowerCase() !== owner.toLowerCase())
    reasons.push("the recovery phrase was replaced, so its words no longer control the account");
  const live = config.guardians.map((g) => g.toLowerCase()).sort();
  if (live.join() !== kit.guardians.join()) reasons.push("the guardians changed");
  if (Number(config.threshold) !== kit.threshold) reasons.push("the number of approvals needed changed");
  const d = kit.delays;
  if (
    Number(config.recoveryDelay) !== d.recoveryDelay ||
    Number(config.securityPeriod) !== d.securityPeriod ||
    Number(config.securityWindow) !== d.securityWindow ||
    Number(config.lockPeriod) !== d.lockPeriod
  )
    reasons.push("the delays changed");
  return reasons;
}

export function daysSince(iso: string | undefined, now = Date.now()): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : Math.floor((now - t) / 86_400_000);
}

export function subscribeBackupRecords(onChange: () => void): () => void {
  window.addEventListener(EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}
