"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { deriveOwnerAddress, generateMnemonic, type RecoveryBackup } from "@custos/backup";
import { useSession } from "@/components/SessionProvider";
import { Unlock } from "@/components/Unlock";
import { SeedStep } from "@/components/create/SeedStep";
import { QuizStep } from "@/components/create/QuizStep";
import { RotateProtect } from "@/components/rotate/RotateProtect";
import { RotationApprovals } from "@/components/rotate/RotationApprovals";
import { TokenApprovals } from "@/components/TokenApprovals";
import { useAccountState } from "@/hooks/useAccountState";
import { writeVault } from "@/lib/vault";
import { updateBackupRecord } from "@/lib/backupHealth";
import { useBackupRecord } from "@/hooks/useBackupRecord";
import { KitDownload } from "@/components/KitDownload";
import { Button, Card, Notice } from "@/components/ui";

type Step = "intro" | "seed" | "quiz" | "protect" | "approve" | "done";

/** "My recovery phrase may be exposed": new phrase → guardians approve → owner rotates → revoke approvals. */
export default function RotatePage() {
  const { session, open } = useSession();
  const mnemonic = useMemo(() => generateMnemonic(12), []);
  const [step, setStep] = useState<Step>("intro");
  const [password, setPassword] = useState("");
  const account = session?.backup.context.account;
  const state = useAccountState(account, step === "done");
  const record = useBackupRecord(account);
  if (!session) return <Unlock />;
  const next: RecoveryBackup = { mnemonic, hasPassphrase: false, context: session.backup.context };
  const newOwner = deriveOwnerAddress(mnemonic);
  const rotated = async () => {
    await writeVault(next, password);
    updateBackupRecord(next.context.account, (r) => ({
      ...r,
      paper: { madeAt: new Date().toISOString(), owner: newOwner },
    }));
    open(next);
    setStep("done");
  };
  const owner = state.data?.owner;
  const kitMatches = record.kit?.owner.toLowerCase() === newOwner.toLowerCase();
  return (
    <>
      <h1>Replace my recovery phrase</h1>
      {step === "intro" && (
        <Card aria-labelledby="intro-h">
          <h2 id="intro-h">If someone may have seen your phrase</h2>
          <p>
            You will write down a new phrase. Your guardians approve the change, then your current phrase signs it. From
            that moment the old phrase no longer controls this account. The address and funds stay the same.
          </p>
          <Button onClick={() => setStep("seed")}>Make a new phrase</Button>
        </Card>
      )}
      {step === "seed" && <SeedStep mnemonic={mnemonic} onDone={() => setStep("quiz")} />}
      {step === "quiz" && (
        <QuizStep mnemonic={mnemonic} onPassed={() => setStep("protect")} onBack={() => setStep("seed")} />
      )}
      {step === "protect" && (
        <RotateProtect
          backup={next}
          onDone={(pw) => {
            setPassword(pw);
            setStep("approve");
          }}
        />
      )}
      {step === "approve" && <RotationApprovals session={session} newOwner={newOwner} onRotated={rotated} />}
      {step === "done" && (
        <>
          <Card aria-labelledby="done-h">
            <h2 id="done-h">The old phrase no longer controls this account</h2>
            <Notice tone="success" role="status" data-testid="rotation-done">
              Your new phrase is now the owner
              {owner && (
                <>
                  {" "}
                  (<code>{owner}</code>)
                </>
              )}
              . This device keeps the new phrase under the password you just chose.
            </Notice>
            <Notice tone="warning" block data-testid="old-backups-useless">
              <p>
                <strong>Your old recovery kit and the old paper words are now useless</strong>: they restore nothing.
                Delete the old kit file and destroy the old paper.
              </p>
              {kitMatches ? (
                <p>You already saved a kit of the new phrase.</p>
              ) : (
                <>
                  <p>Make a recovery kit of the new phrase now:</p>
                  <KitDownload backup={session.backup} owner={newOwner} walletPassword={password} />
                </>
              )}
            </Notice>
            <p>One more step: tokens you approved apps to spend can still be moved by those apps. Revoke them below.</p>
            <Link href="/dashboard">Back to my wallet</Link>
          </Card>
          <TokenApprovals account={session.backup.context.account} session={session} />
        </>
      )}
    </>
  );
}
