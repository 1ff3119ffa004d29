"use client";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { deriveOwnerAddress, generateMnemonic, toGuardianConfig, type RecoveryBackup } from "@custos/backup";
import { predictAccountAddress } from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { useSession } from "@/components/SessionProvider";
import { SeedStep } from "@/components/create/SeedStep";
import { QuizStep } from "@/components/create/QuizStep";
import { GuardiansStep, type GuardianChoice } from "@/components/create/GuardiansStep";
import { SecureStep } from "@/components/create/SecureStep";
import { DeployStep } from "@/components/create/DeployStep";
import { ErrorText } from "@/components/ErrorText";
import styles from "./page.module.css";

type Step = "seed" | "quiz" | "guardians" | "secure" | "deploy";
const STEPS: { id: Step; label: string }[] = [
  { id: "seed", label: "Phrase" },
  { id: "quiz", label: "Check" },
  { id: "guardians", label: "Guardians" },
  { id: "secure", label: "Protect" },
  { id: "deploy", label: "Create" },
];

export default function CreatePage() {
  const { env, publicClient } = useEnv();
  const { session, open } = useSession();
  const router = useRouter();
  const mnemonic = useMemo(() => generateMnemonic(12), []);
  const [step, setStep] = useState<Step>("seed");
  const [backup, setBackup] = useState<RecoveryBackup | null>(null);
  const [error, setError] = useState<unknown>(null);

  const chooseGuardians = async (choice: GuardianChoice) => {
    setError(null);
    try {
      const draft = {
        account: "0x0000000000000000000000000000000000000001" as const,
        chainId: env.chainId,
        factory: env.factory,
        guardians: choice.guardians,
        threshold: choice.threshold,
        delays: choice.delays,
        createdAt: new Date().toISOString(),
      };
      const account = await predictAccountAddress(
        publicClient,
        env.factory,
        deriveOwnerAddress(mnemonic),
        toGuardianConfig(draft),
      );
      const next: RecoveryBackup = { mnemonic, hasPassphrase: false, context: { ...draft, account } };
      setBackup(next);
      open(next);
      setStep("secure");
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <h1>Create a wallet</h1>
      <ol className={styles.steps} aria-label="Progress">
        {STEPS.map((s) => (
          <li key={s.id} aria-current={s.id === step ? "step" : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
      {step === "seed" && <SeedStep mnemonic={mnemonic} onDone={() => setStep("quiz")} />}
      {step === "quiz" && (
        <QuizStep mnemonic={mnemonic} onPassed={() => setStep("guardians")} onBack={() => setStep("seed")} />
      )}
      {step === "guardians" && (
        <>
          <GuardiansStep owner={deriveOwnerAddress(mnemonic)} onDone={chooseGuardians} />
          <ErrorText error={error} />
        </>
      )}
      {step === "secure" && backup && <SecureStep backup={backup} onDone={() => setStep("deploy")} />}
      {step === "deploy" && session && <DeployStep session={session} onDeployed={() => router.push("/dashboard")} />}
    </>
  );
}
