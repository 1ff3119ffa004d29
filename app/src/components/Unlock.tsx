"use client";
import { useEffect, useState } from "react";
import { openVault, readVault, type StoredVault, type VaultSlot } from "@/lib/vault";
import { useSession } from "./SessionProvider";
import { PasswordField } from "./PasswordField";
import { ErrorText } from "./ErrorText";
import { KdfProgress } from "./KdfProgress";
import { Button, ButtonLink, Card, ui } from "@/components/ui";

/**
 * The unlock form: the seed stays encrypted until the wallet password opens it. `slot` picks the saved
 * wallet or a pending recovery's new owner. With no saved wallet, says so and offers create / restore.
 */
export function Unlock({
  slot = "wallet",
  title = "Unlock your wallet",
  intro,
  onUnlocked,
  embedded = false,
}: {
  /** Inside another section (backup centre): a plain form with a smaller heading. */
  embedded?: boolean;
  slot?: VaultSlot;
  title?: string;
  intro?: React.ReactNode;
  onUnlocked?: () => void;
}) {
  const { open, asking } = useSession();
  const [vault, setVault] = useState<StoredVault | null | undefined>(undefined);
  const [pendingRecovery, setPendingRecovery] = useState<StoredVault | undefined>();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<number | null>(null);
  useEffect(() => {
    setVault(readVault(slot) ?? null);
    if (slot === "wallet") setPendingRecovery(readVault("recovery"));
  }, [slot]);
  if (vault === undefined || asking) return <p aria-live="polite">Opening…</p>;
  const resume = !embedded && pendingRecovery && (
    <Card aria-labelledby="resume-h">
      <h2 id="resume-h">A recovery is in progress on this device</h2>
      <p>
        This device holds the new phrase of a recovery of <span className={ui.mono}>{pendingRecovery.account}</span>.
      </p>
      <ButtonLink href="/recover">Continue the recovery</ButtonLink>
    </Card>
  );
  if (vault === null) {
    if (embedded) return <p>There is no wallet on this device yet: restore one above, or create one.</p>;
    return (
      <>
        {resume}
        <Card>
          <h1>No wallet on this device</h1>
          <p>Create a new wallet, or restore one from your recovery phrase or recovery kit.</p>
          <div className={ui.actions}>
            <ButtonLink href="/create">Create a wallet</ButtonLink>
            <ButtonLink variant="secondary" href="/backup">
              Restore from backup
            </ButtonLink>
          </div>
        </Card>
      </>
    );
  }
  const unlock = async (e: React.FormEvent) => {
    e.preventDefault();
    setProgress(0);
    setError(null);
    try {
      open(await openVault(password, slot, setProgress), slot);
      onUnlocked?.();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };
  const busy = progress !== null;
  return (
    <>
      {resume}
      <form className={embedded ? ui.stack : ui.card} onSubmit={unlock} aria-labelledby="unlock-h">
        {embedded ? <h3 id="unlock-h">{title}</h3> : <h1 id="unlock-h">{title}</h1>}
        {intro}
        <p className={ui.mono} data-testid="unlock-account">
          {vault.account}
        </p>
        <PasswordField label="Wallet password" value={password} onChange={setPassword} />
        <ErrorText error={error} />
        <Button type="submit" disabled={busy || !password}>
          {busy ? "Unlocking…" : "Unlock"}
        </Button>
        {busy && <KdfProgress fraction={progress} label="Opening the wallet" />}
        <p className={ui.hint}>The wallet stays unlocked in every tab of this browser until you lock it or close it.</p>
      </form>
    </>
  );
}
