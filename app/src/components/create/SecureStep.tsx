"use client";
import { useState } from "react";
import type { RecoveryBackup } from "../../../../custos/backup/context";
import { writeVault } from "@/lib/vault";
import { NewPasswordField } from "@/components/PasswordField";
import { KitDownload } from "@/components/KitDownload";
import { ErrorText } from "@/components/ErrorText";

/** Encrypts the seed on this device with the wallet password, and offers the optional recovery kit. */
export function SecureStep({ backup, onDone }: { backup: RecoveryBackup; onDone: () => void }) {
  const [password, setPassword] = useState("");
  const [acceptable, setAcceptable] = useState(false);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await writeVault(backup, password);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="secure-h">
      <h2 id="secure-h">Protect this device</h2>
      <form onSubmit={save}>
        <NewPasswordField
          label="Wallet password (unlocks the wallet on this device)"
          value={password}
          onChange={(v, ok) => {
            setPassword(v);
            setAcceptable(ok);
          }}
        />
        <button type="submit" disabled={!acceptable || busy || saved}>
          {saved ? "Saved on this device" : busy ? "Encrypting…" : "Save wallet on this device"}
        </button>
      </form>
      <ErrorText error={error} />
      {saved && (
        <>
          <h3>Recovery kit (optional)</h3>
          <p>
            An encrypted file with your words and your guardians. It lets you restore on a new device without typing the
            words.
          </p>
          <KitDownload backup={backup} />
          <button type="button" onClick={onDone}>
            Continue
          </button>
        </>
      )}
    </section>
  );
}
