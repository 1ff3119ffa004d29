"use client";
import { useState } from "react";
import { type RecoveryBackup, withAddressBook } from "@custos/backup";
import { readAddressBook } from "@/lib/addressBook";
import { downloadText, kitFilename } from "@/lib/download";
import { encryptKitInWorker } from "@/lib/kdfClient";
import { kitRecordOf, updateBackupRecord } from "@/lib/backupHealth";
import { NewPasswordField } from "./PasswordField";
import { ErrorText } from "./ErrorText";
import { KdfProgress } from "./KdfProgress";
import { Button, Notice, ui } from "@/components/ui";

/**
 * Optional encrypted recovery kit (B3) under a backup password separate from the wallet password (B2),
 * carrying the guardians' names and contact notes from this device's address book. Records on this
 * device that a kit was written, and what it holds (backup health).
 */
export function KitDownload({
  backup,
  owner,
  walletPassword,
  label = "Download recovery kit",
}: {
  backup: RecoveryBackup;
  /** The owner address the kit's words control (recorded to tell a kit made stale by a rotation). */
  owner: `0x${string}`;
  /** When known, the wallet password: the same password for both earns a warning. */
  walletPassword?: string;
  label?: string;
}) {
  const [password, setPassword] = useState("");
  const [acceptable, setAcceptable] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const samePassword = !!walletPassword && password.length > 0 && password === walletPassword;
  const save = async () => {
    setProgress(0);
    setError(null);
    try {
      const book = readAddressBook();
      const guardians = withAddressBook(backup.context.guardians, (a) => book[a.toLowerCase()]);
      const context = { ...backup.context, guardians, createdAt: new Date().toISOString() };
      const kit = await encryptKitInWorker({ ...backup, context }, password, setProgress);
      downloadText(kitFilename(backup.context.account), kit);
      updateBackupRecord(backup.context.account, (r) => ({ ...r, kit: kitRecordOf(context, owner) }));
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className={ui.stack}>
      <NewPasswordField
        label="Backup password (for the recovery kit file)"
        value={password}
        onChange={(v, ok) => {
          setPassword(v);
          setAcceptable(ok);
          setDone(false);
        }}
      />
      {samePassword ? (
        <Notice tone="warning" role="alert">
          This is your wallet password. Choose a different one: anyone who learns one password should not also open the
          kit.
        </Notice>
      ) : (
        <p className={ui.hint}>
          Use a different password from your wallet password. If you forget the backup password, the file cannot be
          opened by anyone, including you — your paper words still work.
        </p>
      )}
      <Button onClick={save} disabled={!acceptable || samePassword || progress !== null}>
        {progress !== null ? "Encrypting…" : label}
      </Button>
      <KdfProgress fraction={progress} label="Encrypting the kit" />
      {done && (
        <Notice tone="success" role="status">
          Recovery kit saved. Keep it wherever you like (your own drive, a USB stick).
        </Notice>
      )}
      <ErrorText error={error} />
    </div>
  );
}
