"use client";
import { useState } from "react";
import { parseMnemonic, type RecoveryBackup } from "@custos/backup";
import { ErrorText } from "@/components/ErrorText";
import { PasswordField } from "@/components/PasswordField";
import { KdfProgress } from "@/components/KdfProgress";
import { KitInput } from "@/components/backup/KitInput";
import { decryptKitInWorker } from "@/lib/kdfClient";
import { useRecoveryContext } from "@/hooks/useRecoveryContext";
import { Button, Choice, Field, ui } from "@/components/ui";

/**
 * Resumes a recovery started on another device (D4): the new phrase's words with the account address,
 * or the new phrase's recovery kit. The recovery then continues here, at whatever step the chain is at.
 */
export function ResumeElsewhere({ onResume }: { onResume: (backup: RecoveryBackup) => void }) {
  const contextOf = useRecoveryContext();
  const [mode, setMode] = useState<"words" | "kit">("words");
  const [address, setAddress] = useState("");
  const [words, setWords] = useState("");
  const [kit, setKit] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const resume = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setProgress(0);
    try {
      if (mode === "words") {
        const mnemonic = parseMnemonic(words);
        onResume({ mnemonic, hasPassphrase: false, context: await contextOf(address) });
      } else {
        const backup = await decryptKitInWorker(kit, password, setProgress);
        onResume({ ...backup, context: await contextOf(backup.context.account) });
      }
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };
  return (
    <form className={ui.card} onSubmit={resume} noValidate aria-labelledby="resume-elsewhere-h">
      <h2 id="resume-elsewhere-h">Continue a recovery started on another device</h2>
      <p>Use the new phrase you made when you started the recovery, or its recovery kit.</p>
      <Choice legend="I have">
        <label>
          <input type="radio" name="resume-mode" checked={mode === "words"} onChange={() => setMode("words")} />
          the new phrase&apos;s words
        </label>
        <label>
          <input type="radio" name="resume-mode" checked={mode === "kit"} onChange={() => setMode("kit")} />
          the new phrase&apos;s recovery kit
        </label>
      </Choice>
      {mode === "words" ? (
        <>
          <Field
            label="Account address"
            id="resume-address"
            value={address}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setAddress(e.target.value)}
            placeholder="0x…"
          />
          <Field
            as="textarea"
            label="The new phrase (12 or 24 words)"
            id="resume-words"
            value={words}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setWords(e.target.value)}
          />
        </>
      ) : (
        <>
          <KitInput value={kit} onChange={setKit} />
          <PasswordField label="Backup password of that kit" value={password} onChange={setPassword} />
        </>
      )}
      <ErrorText error={error} />
      <Button type="submit" variant="secondary" disabled={progress !== null}>
        Continue this recovery here
      </Button>
      <KdfProgress fraction={progress} label="Opening the kit" />
    </form>
  );
}
