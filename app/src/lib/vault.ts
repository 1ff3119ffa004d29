import { loadKit } from "./lazyBackup";
import type { RecoveryBackup } from "../../../custos/backup/context";

/**
 * The seed on this device (B2): a recovery kit encrypted with the wallet password, in localStorage.
 * The same authenticated format as a backup file, so no second cipher exists in the dApp.
 */
const KEY = "custos.vault.v1";

export interface StoredVault {
  account: `0x${string}`;
  chainId: number;
  kit: string;
}

export function readVault(): StoredVault | undefined {
  const raw = window.localStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as StoredVault;
  } catch {
    return undefined;
  }
}

export async function writeVault(backup: RecoveryBackup, walletPassword: string): Promise<void> {
  const kit = await (await loadKit()).encryptKit(backup, walletPassword);
  const vault: StoredVault = { account: backup.context.account, chainId: backup.context.chainId, kit };
  window.localStorage.setItem(KEY, JSON.stringify(vault));
}

export async function openVault(walletPassword: string): Promise<RecoveryBackup> {
  const vault = readVault();
  if (!vault) throw new Error("There is no wallet on this device yet.");
  return (await loadKit()).decryptKit(vault.kit, walletPassword);
}

export function forgetVault(): void {
  window.localStorage.removeItem(KEY);
}
