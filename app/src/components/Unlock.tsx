"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { openVault, readVault, type StoredVault } from "@/lib/vault";
import { useSession } from "./SessionProvider";
import { PasswordField } from "./PasswordField";
import { ErrorText } from "./ErrorText";

/** The unlock screen on return: the seed stays encrypted until the wallet password opens it. */
export function Unlock() {
  const { open } = useSession();
  const [vault, setVault] = useState<StoredVault | null | undefined>(undefined);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setVault(readVault() ?? null), []);
  if (vault === undefined) return null;
  if (vault === null) {
    return (
      <section className="card">
        <h1>No wallet on this device</h1>
        <p>Create a new wallet, or restore one from your recovery phrase or recovery kit.</p>
        <Link className="button" href="/create">
          Create a wallet
        </Link>
        <Link className="button secondary" href="/backup">
          Restore from backup
        </Link>
      </section>
    );
  }
  const unlock = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      open(await openVault(password));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={unlock}>
      <h1>Unlock your wallet</h1>
      <p className="mono">{vault.account}</p>
      <PasswordField label="Wallet password" value={password} onChange={setPassword} />
      <ErrorText error={error} />
      <button type="submit" disabled={busy || !password}>
        {busy ? "Unlocking…" : "Unlock"}
      </button>
    </form>
  );
}
