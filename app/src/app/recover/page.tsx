"use client";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { generateMnemonic, type RecoveryBackup } from "@custos/backup";
import { useSession } from "@/components/SessionProvider";
import { SeedStep } from "@/components/create/SeedStep";
import { QuizStep } from "@/components/create/QuizStep";
import { SecureStep } from "@/components/create/SecureStep";
import { RecoveryProgress } from "@/components/recover/RecoveryProgress";
import { RecoverAccountStep } from "@/components/recover/RecoverAccountStep";
import { ResumeElsewhere } from "@/components/recover/ResumeElsewhere";
import { Unlock } from "@/components/Unlock";
import { readVault } from "@/lib/vault";

type Step = "loading" | "unlock" | "account" | "seed" | "quiz" | "secure" | "collect";

/**
 * D4, a recovery that lasts days. The new phrase is saved in its own vault on this device (never over a
 * saved wallet), so reopening the page at any point comes back to the step the chain is at.
 */
export default function RecoverPage() {
  const { session, open } = useSession();
  const router = useRouter();
  const mnemonic = useMemo(() => generateMnemonic(12), []);
  const [step, setStep] = useState<Step>("loading");
  const [backup, setBackup] = useState<RecoveryBackup | null>(null);

  useEffect(() => {
    if (step !== "loading") return;
    if (session?.slot === "recovery") setStep("collect");
    else setStep(readVault("recovery") ? "unlock" : "account");
  }, [session, step]);

  const recovering = session?.slot === "recovery" ? session : null;

  return (
    <>
      <h1>Recover my account</h1>
      {step === "unlock" && (
        <Unlock
          slot="recovery"
          title="Continue your recovery"
          intro={<p>This device holds the new phrase of a recovery in progress. Unlock it to see where it stands.</p>}
          onUnlocked={() => setStep("collect")}
        />
      )}
      {step === "account" && (
        <>
          <RecoverAccountStep
            mnemonic={mnemonic}
            onFound={(b) => {
              setBackup(b);
              setStep("seed");
            }}
          />
          <ResumeElsewhere
            onResume={(b) => {
              setBackup(b);
              setStep("secure");
            }}
          />
        </>
      )}
      {step === "seed" && <SeedStep mnemonic={mnemonic} onDone={() => setStep("quiz")} />}
      {step === "quiz" && (
        <QuizStep mnemonic={mnemonic} onPassed={() => setStep("secure")} onBack={() => setStep("seed")} />
      )}
      {step === "secure" && backup && (
        <SecureStep
          backup={backup}
          slot="recovery"
          onDone={() => {
            open(backup, "recovery");
            setStep("collect");
          }}
        />
      )}
      {step === "collect" && recovering && (
        <RecoveryProgress session={recovering} onDone={() => router.push("/dashboard")} />
      )}
    </>
  );
}
