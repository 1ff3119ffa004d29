import { loadKit } from "./lazyBackup";
import type { RecoveryBackup, RecoveryContext } from "@custos/backup";

/**
 * The seeds on this device (B2), each a recovery kit encrypted with the wallet password, in
 * localStorage: the same authenticated format as a backup file, so no second cipher exists in the dApp.
 *
 * Two slots that never overwrite each other:
 * - "wallet": the saved wallet (created, restored, or promoted once a recovery completes);
 * - "recovery": the pending new owner of a recovery that may last days (D4). It becomes the saved
 *   wallet only once the chain says the recovery is done.
 */
export type VaultSlot = "wallet" | "recovery";

const KEYS: Record<VaultSlot, string> = { wallet: "custos.vault.v1", recovery: "custos.recovery.v1" };
const EVENT = "custos-vault";

export interface StoredVault {
  account: `0x${string}`;
  chainId: number;
  kit: string;
  /** The owner address the kit's words derive (recovery slot: the pending new owner). */
  owner?: `0x${string}`;
  /** The recovery context the saved kit holds (public: guardians, threshold, delays), to tell a stale kit. */
  context?: RecoveryContext;
}

export function readVault(slot: VaultSlot = "wallet"): StoredVault | undefined {
  if (typeof window === "undefined") return undefined;
  const raw = window.localStorage.getItem(KEYS[slot]);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as StoredVault;
  } catch {
    return undefined;
  }
}

export async function writeVault(
  backup: RecoveryBackup,
  walletPassword: string,
  slot: VaultSlot = "wallet",
  onProgress?: (fraction: number) => void,
): Promise<void> {
  const { encryptKitInWorker } = await import("./kdfClient");
  const kit = await encryptKitInWorker(backup, walletPassword, onProgress);
  const { deriveOwnerAddress } = await import("@custos/backup");
  const vault: StoredVault = {
    account: backup.context.account,
    chainId: backup.context.chainId,
    kit,
    owner: deriveOwnerAddress(backup.mnemonic),
    context: backup.context,
  };
  window.localStorage.setItem(KEYS[slot], JSON.stringify(vault));
  window.dispatchEvent(new Event(EVENT));
}

export async function openVault(
  walletPassword: string,
  slot: VaultSlot = "wallet",
  onProgress?: (fraction: number) => void,
): Promise<RecoveryBackup> {
  const vault = readVault(slot);
  if (!vault) throw new Error("There is no wallet on this device yet.");
  const { decryptKitInWorker } = await import("./kdfClient");
  return decryptKitInWorker(vault.kit, walletPassword, onProgress);
}

/**
 * A completed recovery's vault becomes the saved wallet. Refuses (returns false) when the saved wallet
 * belongs to another account and `replaceOther` is not set: a saved wallet is never overwritten silently.
 */
export function promoteRecoveryVault({ replaceOther = false }: { replaceOther?: boolean } = {}): boolean {
  const recovery = readVault("recovery");
  if (!recovery) return false;
  const wallet = readVault("wallet");
  if (wallet && wallet.account.toLowerCase() !== recovery.account.toLowerCase() && !replaceOther) return false;
  window.localStorage.setItem(KEYS.wallet, JSON.stringify(recovery));
  window.localStorage.removeItem(KEYS.recovery);
  window.dispatchEvent(new Event(EVENT));
  return true;
}

/** Records the live configuration in the saved wallet once it changed (the kit inside stays as written). */
export function updateVaultContext(context: RecoveryContext, slot: VaultSlot = "wallet"): void {
  const vault = readVault(slot);
  if (!vault || vault.account.toLowerCase() !== context.account.toLowerCase()) return;
  window.localStorage.setItem(KEYS[slot], JSON.stringify({ ...vault, context }));
}

export { loadKit };
