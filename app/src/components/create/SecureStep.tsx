"use client";
import { useState } from "react";
import { type RecoveryBackup, deriveOwnerAddress } from "@custos/backup";
import { writeVault, type VaultSlot } from "@/lib/vault";
import { KdfProgress } from "@/components/KdfProgress";
import { updateBackupRecord } from "@/lib/backupHealth";
import { NewPasswordField } from "@/components/PasswordField";
import { KitDownload } from "@/components/KitDownload";
import { ErrorText } from "@/components/ErrorText";
import { Button, Card } from "@/components/ui";

/** Encrypts the seed on this device with the wallet password, and offers the optional recovery kit. */
export function SecureStep({
  backup,
  onDone,
  slot = "wallet",
}: {
  backup: RecoveryBackup;
  onDone: () => void;
  /** "recovery": the pending new owner's vault, which never replaces a saved wallet (D4). */
  slot?: VaultSlot;
}) {
  const [password, setPassword] = useState("");
  const [acceptable, setAcceptable] = useState(false);
  const [saved, setSaved] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const busy = progress !== null;
  const [error, setError] = useState<unknown>(null);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setProgress(0);
    setError(null);
    try {
      await writeVault(backup, password, slot, setProgress);
      // the words were just written down and checked (quiz): a paper backup of this owner exists
      updateBackupRecord(backup.context.account, (r) => ({
        ...r,
        paper: { madeAt: new Date().toISOString(), owner: deriveOwnerAddress(backup.mnemonic) },
      }));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };
  return (
    <Card aria-labelledby="secure-h">
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
        <Button type="submit" disabled={!acceptable || busy || saved}>
          {saved ? "Saved on this device" : busy ? "Encrypting…" : "Save wallet on this device"}
        </Button>
        <KdfProgress fraction={progress} label="Encrypting your words" />
      </form>
      <ErrorText error={error} />
      {saved && (
        <>
          <h3>Recovery kit (optional)</h3>
          <p>
            An encrypted file with your words and your guardians. It lets you restore on a new device without typing the
            words.
          </p>
          <KitDownload backup={backup} owner={deriveOwnerAddress(backup.mnemonic)} walletPassword={password} />
          <Button onClick={onDone}>Continue</Button>
        </>
      )}
    </Card>
  );
}
