"use client";
import { createContext, useCallback, useContext, useMemo, useState } from "react";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { deriveOwnerPrivateKey } from "../../../custos/backup/mnemonic";
import type { RecoveryBackup } from "../../../custos/backup/context";

/** The unlocked wallet, in memory only: gone on reload (the vault stays encrypted). */
export interface Session {
  backup: RecoveryBackup;
  owner: PrivateKeyAccount;
}

interface SessionValue {
  session: Session | null;
  open: (backup: RecoveryBackup, passphrase?: string) => Session;
  close: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const open = useCallback((backup: RecoveryBackup, passphrase = "") => {
    const next = { backup, owner: privateKeyToAccount(deriveOwnerPrivateKey(backup.mnemonic, passphrase)) };
    setSession(next);
    return next;
  }, []);
  const close = useCallback(() => setSession(null), []);
  const value = useMemo(() => ({ session, open, close }), [session, open, close]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
