/**
 * Sends made from this device, by account (localStorage): the activity list shows them with their
 * transaction hash. An ETH transfer from a smart account emits no event of its own, so the chain alone
 * cannot list it cheaply; token sends are also visible on chain as Transfer logs.
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
