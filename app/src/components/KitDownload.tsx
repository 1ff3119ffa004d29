"use client";
import { useState } from "react";
import { loadKit } from "@/lib/lazyBackup";
import type { RecoveryBackup } from "../../../custos/backup/context";
import { withAddressBook } from "../../../custos/backup/addressBook";
import { readAddressBook } from "@/lib/addressBook";
import { downloadText, kitFilename } from "@/lib/download";
import { NewPasswordField } from "./PasswordField";
import { ErrorText } from "./ErrorText";

/**
 * Optional encrypted recovery kit (B3) under a backup password separate from the wallet password (B2),
 * carrying the guardians' names and contact notes from this device's address book.
 */
export function KitDownload({ backup }: { backup: RecoveryBackup }) {
  const [password, setPassword] = useState("");
  const [acceptable, setAcceptable] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const book = readAddressBook();
      const guardians = withAddressBook(backup.context.guardians, (a) => book[a.toLowerCase()]);
      const kit = await (
        await loadKit()
      ).encryptKit({ ...backup, context: { ...backup.context, guardians } }, password);
      downloadText(kitFilename(backup.context.account), kit);
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <NewPasswordField
        label="Backup password (for the recovery kit file)"
        value={password}
        onChange={(v, ok) => {
          setPassword(v);
          setAcceptable(ok);
        }}
      />
      <p className="hint">
        Use a different password from your wallet password. If you forget the backup password, the file cannot be opened
        by anyone, including you — your paper words still work.
      </p>
      <button type="button" onClick={save} disabled={!acceptable || busy}>
        {busy ? "Encrypting…" : "Download recovery kit"}
      </button>
      {done && (
        <p className="success" role="status">
          Recovery kit saved. Keep it wherever you like (your own drive, a USB stick).
        </p>
      )}
      <ErrorText error={error} />
    </div>
  );
}
