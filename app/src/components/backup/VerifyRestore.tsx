"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Address } from "viem";
import { decryptKitInWorker } from "@/lib/kdfClient";
import {
  parseMnemonic,
  restoreFromKit,
  restoreFromWords,
  verifyBackup,
  type VerifyReport,
  contextFromConfig,
  type RecoveryBackup,
  addressBookFromKit,
  deriveOwnerAddress,
  type BackupError,
} from "@custos/backup";
import { readCurrentConfig } from "@custos";
import { readAddressBook, saveAddressBookEntry } from "@/lib/addressBook";
import { useEnv } from "@/components/EnvProvider";
import { useSession } from "@/components/SessionProvider";
import { NewPasswordField, PasswordField } from "@/components/PasswordField";
import { ErrorText } from "@/components/ErrorText";
import { writeVault } from "@/lib/vault";
import { KdfProgress } from "@/components/KdfProgress";
import { KitInput } from "./KitInput";
import { errorMessage } from "@/lib/errors";
import { kitRecordOf, updateBackupRecord } from "@/lib/backupHealth";
import { Button, Card, Choice, Field, Notice } from "@/components/ui";

/**
 * B4's verdict on a backup that does not restore the account, said once: the library's owner mismatch already
 * reads "This backup does NOT match: …"; the other reasons (another chain, no account there) get that verdict
 * in front of their own sentence.
 */
function mismatchMessage(error: BackupError): string {
  const why = errorMessage(error);
  return error.code === "OWNER_MISMATCH" ? why : `This backup does NOT match this account. ${why}`;
}

/** B4 dry run and B5 restore, from the kit + backup password or from the words alone. */
export function VerifyRestore() {
  const { env, publicClient } = useEnv();
  const { open } = useSession();
  const router = useRouter();
  const [mode, setMode] = useState<"kit" | "words">("kit");
  const [kit, setKit] = useState("");
  const [password, setPassword] = useState("");
  const [words, setWords] = useState("");
  const [walletPassword, setWalletPassword] = useState("");
  const [walletOk, setWalletOk] = useState(false);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [restorable, setRestorable] = useState<RecoveryBackup | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);

  const loadBackup = async (): Promise<RecoveryBackup> => {
    if (mode === "kit") return decryptKitInWorker(kit, password, setProgress);
    const mnemonic = parseMnemonic(words);
    const found = await restoreFromWords(publicClient, { mnemonic, deployment: env });
    const account = found.accounts[0]?.account as Address | undefined;
    if (!account) throw new Error("These words do not control any Custos account on this chain.");
    const config = await readCurrentConfig(publicClient, account, { fromBlock: BigInt(env.deploymentBlock) });
    return {
      mnemonic,
      hasPassphrase: false,
      context: contextFromConfig(account, env, config),
    };
  };

  const verify = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setReport(null);
    setRestorable(null);
    try {
      const backup = await loadBackup();
      const r = await verifyBackup(publicClient, backup);
      setReport(r);
      if (r.ok) {
        setRestorable(backup);
        const at = new Date().toISOString();
        const owner = deriveOwnerAddress(backup.mnemonic);
        updateBackupRecord(backup.context.account, (rec) =>
          mode === "kit"
            ? { ...rec, kitVerifiedAt: at, kit: kitRecordOf(backup.context, owner, backup.context.createdAt) }
            : { ...rec, paperVerifiedAt: at, paper: rec.paper ?? { madeAt: at, owner } },
        );
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const restore = async () => {
    if (!restorable) return;
    setBusy(true);
    setError(null);
    try {
      await restoreFromKit(publicClient, restorable);
      await writeVault(restorable, walletPassword, "wallet");
      const book = readAddressBook();
      for (const { address, entry } of addressBookFromKit(restorable.context.guardians, (a) => book[a.toLowerCase()])) {
        saveAddressBookEntry(address, entry);
      }
      open(restorable);
      router.push("/dashboard");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card aria-labelledby="vr-h">
      <h2 id="vr-h">Check or restore a backup</h2>
      <p>Checking changes nothing: it compares your backup with the account&apos;s owner on chain.</p>
      <Choice legend="Backup type">
        <label>
          <input type="radio" name="mode" checked={mode === "kit"} onChange={() => setMode("kit")} />
          Recovery kit file
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === "words"} onChange={() => setMode("words")} />
          Recovery phrase words
        </label>
      </Choice>
      <form onSubmit={verify}>
        {mode === "kit" ? (
          <>
            <KitInput value={kit} onChange={setKit} />
            <PasswordField label="Backup password" value={password} onChange={setPassword} />
          </>
        ) : (
          <>
            <Field
              as="textarea"
              label="Your words, separated by spaces"
              id="restore-words"
              value={words}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setWords(e.target.value)}
            />
          </>
        )}
        <Button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Check backup"}
        </Button>
        <KdfProgress fraction={progress} label="Opening the kit" />
      </form>
      <ErrorText error={error} />
      {report && (
        <Notice tone={report.ok ? "success" : "error"} role="status" data-testid="verify-result">
          {report.ok ? `Your backup restores this account. ${report.message}` : mismatchMessage(report.error)}
        </Notice>
      )}
      {restorable && (
        <div>
          <h3>Restore on this device</h3>
          <NewPasswordField
            label="New wallet password for this device"
            value={walletPassword}
            onChange={(v, ok) => {
              setWalletPassword(v);
              setWalletOk(ok);
            }}
          />
          <Button onClick={restore} disabled={!walletOk || busy}>
            Restore wallet here
          </Button>
        </div>
      )}
    </Card>
  );
}
