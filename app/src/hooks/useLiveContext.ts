"use client";
import { useEffect } from "react";
import { contextFromConfig } from "@custos/backup";
import type { AccountState } from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { useSession, type Session } from "@/components/SessionProvider";
import { updateVaultContext } from "@/lib/vault";

/**
 * Keeps the unlocked wallet's recovery context equal to the live configuration: after a guardian,
 * threshold or delay change, a kit exported from this device lists what the chain holds now (not the
 * creation guardians), and the saved wallet records it. Guardian names already known are kept.
 */
export function useLiveContext(session: Session | null, state: AccountState | undefined) {
  const { env } = useEnv();
  const { updateContext } = useSession();
  const hash = state?.configHash;
  useEffect(() => {
    if (!session || !state || state.address.toLowerCase() !== session.backup.context.account.toLowerCase()) return;
    const old = session.backup.context;
    const live = contextFromConfig(state.address, env, state.config, new Date(old.createdAt));
    const same =
      live.threshold === old.threshold &&
      JSON.stringify(live.delays) === JSON.stringify(old.delays) &&
      addresses(live.guardians) === addresses(old.guardians);
    if (same) return;
    const named = live.guardians.map((g) => {
      const known = old.guardians.find((o) => o.address.toLowerCase() === g.address.toLowerCase());
      return known ? { ...known, address: g.address } : g;
    });
    const context = { ...live, guardians: named };
    updateContext(context);
    updateVaultContext(context, session.slot);
  }, [hash, session?.backup.context.account]);
}

const addresses = (guardians: readonly { address: string }[]) =>
  guardians
    .map((g) => g.address.toLowerCase())
    .sort()
    .join();
