"use client";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { isAddress, getAddress, type Address } from "viem";
import { generateMnemonic } from "../../../../custos/backup/mnemonic";
import { contextFromConfig, type RecoveryBackup } from "../../../../custos/backup/context";
import { readCurrentConfig } from "../../../../custos/state/readConfig";
import { useEnv } from "@/components/EnvProvider";
import { useSession } from "@/components/SessionProvider";
import { SeedStep } from "@/components/create/SeedStep";
import { QuizStep } from "@/components/create/QuizStep";
import { SecureStep } from "@/components/create/SecureStep";
import { RecoveryProgress } from "@/components/recover/RecoveryProgress";
import { ErrorText } from "@/components/ErrorText";

type Step = "account" | "seed" | "quiz" | "secure" | "collect";

export default function RecoverPage() {
  const { env, publicClient } = useEnv();
  const { session, open } = useSession();
  const router = useRouter();
  const mnemonic = useMemo(() => generateMnemonic(12), []);
  const [step, setStep] = useState<Step>("account");
  const [address, setAddress] = useState("");
  const [backup, setBackup] = useState<RecoveryBackup | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const lookUp = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!isAddress(address.trim(), { strict: false })) {
      setError("This is not an Ethereum address (0x followed by 40 hex characters).");
      return;
    }
    setBusy(true);
    try {
      const account = getAddress(address.trim()) as Address;
      const code = await publicClient.getCode({ address: account });
      if (!code || code === "0x") throw new Error(`There is no Custos account at ${account} on this chain.`);
      const config = await readCurrentConfig(publicClient, account, { fromBlock: BigInt(env.deploymentBlock) });
      setBackup({
        mnemonic,
        hasPassphrase: false,
        context: contextFromConfig(account, env, config),
      });
      setStep("seed");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Recover my account</h1>
      {step === "account" && (
        <form className="card" onSubmit={lookUp} noValidate>
          <p>
            Lost your recovery phrase? You will make a new phrase on this device, and your guardians will move the
            account to it. The address, funds and history stay the same.
          </p>
          <label htmlFor="recover-address">Your account address</label>
          <input
            id="recover-address"
            value={address}
            spellCheck={false}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="0x…"
          />
          <ErrorText error={error} />
          <button type="submit" disabled={busy}>
            Continue
          </button>
        </form>
      )}
      {step === "seed" && <SeedStep mnemonic={mnemonic} onDone={() => setStep("quiz")} />}
      {step === "quiz" && (
        <QuizStep mnemonic={mnemonic} onPassed={() => setStep("secure")} onBack={() => setStep("seed")} />
      )}
      {step === "secure" && backup && (
        <SecureStep
          backup={backup}
          onDone={() => {
            open(backup);
            setStep("collect");
          }}
        />
      )}
      {step === "collect" && session && <RecoveryProgress session={session} onDone={() => router.push("/dashboard")} />}
    </>
  );
}
