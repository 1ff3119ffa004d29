"use client";
import { useState } from "react";
import type { RecoveryBackup } from "@custos/backup";
import { ErrorText } from "@/components/ErrorText";
import { useRecoveryContext } from "@/hooks/useRecoveryContext";
import { Button, Field, ui } from "@/components/ui";

/** Which account to recover: the address, checked to be a Custos account whose guardians can be read. */
export function RecoverAccountStep({
  mnemonic,
  onFound,
}: {
  mnemonic: string;
  onFound: (backup: RecoveryBackup) => void;
}) {
  const contextOf = useRecoveryContext();
  const [address, setAddress] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lookUp = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      onFound({ mnemonic, hasPassphrase: false, context: await contextOf(address) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={ui.card} onSubmit={lookUp} noValidate aria-labelledby="start-h">
      <h2 id="start-h">Start a recovery</h2>
      <p>
        Lost your recovery phrase? You will make a new phrase on this device, and your guardians will move the account
        to it. The address, funds and history stay the same. A recovery can take days: you can close this page and come
        back at any time.
      </p>
      <Field
        label="Your account address"
        id="recover-address"
        value={address}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => setAddress(e.target.value)}
        placeholder="0x…"
      />
      <ErrorText error={error} />
      <Button type="submit" disabled={busy}>
        Continue
      </Button>
    </form>
  );
}
