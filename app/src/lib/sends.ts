import { formatUnits } from "viem";
import type { AccountSend } from "@custos";

/**
 * Sends made from this device, by account (localStorage): shown in Activity at once, before the chain
 * read (`listAccountSends`, the same on every device) lists them; `mergeSends` drops the duplicates.
 */
const KEY = "custos.sends.v1";
const EVENT = "custos-sends";

export interface SendRecord {
  account: string;
  to: string;
  /** Human amount as shown ("1.5"). */
  amount: string;
  symbol: string;
  transactionHash: string;
  userOpHash: string;
  /** Unix seconds (the chain's time when known). */
  timestamp: number;
}

let cachedRaw: string | null = null;
let cached: SendRecord[] = [];
const EMPTY: SendRecord[] = [];

export function readSends(): SendRecord[] {
  if (typeof window === "undefined") return EMPTY;
  const raw = window.localStorage.getItem(KEY);
  if (raw === cachedRaw) return cached;
  cachedRaw = raw;
  try {
    cached = raw ? (JSON.parse(raw) as SendRecord[]) : EMPTY;
  } catch {
    cached = EMPTY;
  }
  return cached;
}

export const serverSends = () => EMPTY;

export function recordSend(send: SendRecord): void {
  const all = [send, ...readSends()].slice(0, 200);
  window.localStorage.setItem(KEY, JSON.stringify(all));
  window.dispatchEvent(new Event(EVENT));
}

export function subscribeSends(onChange: () => void): () => void {
  window.addEventListener(EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}

/**
 * The sends read from the chain (every device sees them) and this device's records of sends the chain
 * read has not listed yet, each once (matched by UserOperation hash).
 */
export function mergeSends(account: string, chain: readonly AccountSend[], local: readonly SendRecord[]): SendRecord[] {
  const onChain = new Set(chain.map((s) => s.userOpHash.toLowerCase()));
  const seen = new Map<string, number>();
  const fromChain = chain.map((s): SendRecord => {
    const n = seen.get(s.userOpHash) ?? 0;
    seen.set(s.userOpHash, n + 1);
    return {
      account,
      to: s.to,
      amount: formatUnits(s.amount, s.decimals),
      symbol: s.symbol,
      transactionHash: s.transactionHash,
      // a batch may send several times in one UserOperation: one row each
      userOpHash: n === 0 ? s.userOpHash : `${s.userOpHash}-${n}`,
      timestamp: Number(s.timestamp),
    };
  });
  const pending = local.filter(
    (s) => s.account.toLowerCase() === account.toLowerCase() && !onChain.has(s.userOpHash.toLowerCase()),
  );
  return [...fromChain, ...pending];
}
