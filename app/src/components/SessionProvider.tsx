"use client";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { deriveOwnerPrivateKey, type RecoveryBackup } from "@custos/backup";
import type { VaultSlot } from "@/lib/vault";

/**
 * The unlocked wallet, in memory only. It lasts the browser session across tabs: a new tab asks the
 * open ones over a same-origin BroadcastChannel, and locking locks every tab. Nothing decrypted is
 * ever written to storage; when the last tab closes, the session is gone (the vault stays encrypted).
 */
export interface Session {
  backup: RecoveryBackup;
  owner: PrivateKeyAccount;
  /** Which vault it was opened from: the saved wallet, or a recovery still pending. */
  slot: VaultSlot;
}

interface SessionValue {
  session: Session | null;
  /** True until the other tabs had a chance to answer (so the unlock form does not flash). */
  asking: boolean;
  open: (backup: RecoveryBackup, slot?: VaultSlot, passphrase?: string) => Session;
  /** Replaces the in-memory backup's context (the live configuration), keeping the keys. */
  updateContext: (context: RecoveryBackup["context"]) => void;
  close: () => void;
}

type Message =
  { type: "ask" } | { type: "share"; backup: RecoveryBackup; slot: VaultSlot; passphrase: string } | { type: "lock" };

const CHANNEL = "custos-session";
const ASK_MS = 250;

const SessionContext = createContext<SessionValue | null>(null);

function build(backup: RecoveryBackup, slot: VaultSlot, passphrase: string): Session {
  return { backup, slot, owner: privateKeyToAccount(deriveOwnerPrivateKey(backup.mnemonic, passphrase)) };
}

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [asking, setAsking] = useState(true);
  const channel = useRef<BroadcastChannel | null>(null);
  const current = useRef<{ backup: RecoveryBackup; slot: VaultSlot; passphrase: string } | null>(null);

  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") {
      setAsking(false);
      return;
    }
    const c = new BroadcastChannel(CHANNEL);
    channel.current = c;
    c.onmessage = (event: MessageEvent<Message>) => {
      const m = event.data;
      if (m.type === "ask" && current.current) c.postMessage({ type: "share", ...current.current } satisfies Message);
      if (m.type === "share" && !current.current) {
        current.current = { backup: m.backup, slot: m.slot, passphrase: m.passphrase };
        setSession(build(m.backup, m.slot, m.passphrase));
        setAsking(false);
      }
      if (m.type === "lock") {
        current.current = null;
        setSession(null);
      }
    };
    c.postMessage({ type: "ask" } satisfies Message);
    const t = setTimeout(() => setAsking(false), ASK_MS);
    return () => {
      clearTimeout(t);
      c.close();
      channel.current = null;
    };
  }, []);

  const open = useCallback((backup: RecoveryBackup, slot: VaultSlot = "wallet", passphrase = "") => {
    const next = build(backup, slot, passphrase);
    current.current = { backup, slot, passphrase };
    setSession(next);
    channel.current?.postMessage({ type: "share", backup, slot, passphrase } satisfies Message);
    return next;
  }, []);
  const updateContext = useCallback((context: RecoveryBackup["context"]) => {
    if (!current.current) return;
    const backup = { ...current.current.backup, context };
    current.current = { ...current.current, backup };
    setSession((s) => (s ? { ...s, backup } : s));
  }, []);
  const close = useCallback(() => {
    current.current = null;
    setSession(null);
    channel.current?.postMessage({ type: "lock" } satisfies Message);
  }, []);
  const value = useMemo(
    () => ({ session, asking, open, updateContext, close }),
    [session, asking, open, updateContext, close],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
