"use client";
import Link from "next/link";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { formatEther, formatUnits, isAddressEqual } from "viem";
import { useSession } from "@/components/SessionProvider";
import { Unlock } from "@/components/Unlock";
import { AddressView } from "@/components/AddressView";
import { ErrorText } from "@/components/ErrorText";
import { DeployStep } from "@/components/create/DeployStep";
import { SendForm } from "@/components/dashboard/SendForm";
import { RecoveryBanner } from "@/components/dashboard/RecoveryBanner";
import { LockBanner } from "@/components/dashboard/LockBanner";
import { AccountDetails } from "@/components/dashboard/AccountDetails";
import { Activity } from "@/components/dashboard/Activity";
import { PendingChanges } from "@/components/dashboard/PendingChanges";
import { AddGuardian } from "@/components/dashboard/AddGuardian";
import { BackupHealth } from "@/components/dashboard/BackupHealth";
import { useAccountState } from "@/hooks/useAccountState";
import { useIsDeployed } from "@/hooks/useBalance";
import { useLiveContext } from "@/hooks/useLiveContext";
import { useTokenBalances } from "@/hooks/useTokenBalances";
import { formatEthShort } from "@/lib/formatEth";
import { readVault, type StoredVault } from "@/lib/vault";
import { Button, cx, ui } from "@/components/ui";
import styles from "./page.module.css";

// Only accounts that are guardians themselves use it: loaded after the page, not in its first load.
const GuardianDuties = dynamic(() => import("@/components/dashboard/GuardianDuties").then((m) => m.GuardianDuties), {
  ssr: false,
});

export default function DashboardPage() {
  const { session, close } = useSession();
  const account = session?.backup.context.account;
  const deployed = useIsDeployed(account);
  const state = useAccountState(account, deployed.data === true);
  const tokens = useTokenBalances(account, deployed.data === true);
  const [recoveryVault, setRecoveryVault] = useState<StoredVault | undefined>();
  useEffect(() => setRecoveryVault(readVault("recovery")), [session]);
  useLiveContext(session, state.data);
  if (!session) return <Unlock />;
  if (session.slot === "recovery") {
    return (
      <section className={ui.card} aria-labelledby="rec-progress-h">
        <h1 id="rec-progress-h">A recovery is in progress</h1>
        <p>
          This browser holds the new phrase of a recovery of <span className={ui.mono}>{account}</span>. The wallet
          opens here once the recovery is finished.
        </p>
        <Link className={ui.button} href="/recover">
          Continue the recovery
        </Link>
      </section>
    );
  }
  if (deployed.data === false) return <DeployStep session={session} onDeployed={() => deployed.refetch()} />;
  const s = state.data;
  const stillOwner = s ? isAddressEqual(s.owner, session.owner.address) : true;
  const ownRecovery =
    s && recoveryVault && recoveryVault.account.toLowerCase() === s.address.toLowerCase() ? recoveryVault : undefined;
  return (
    <>
      <h1>My wallet</h1>
      {s && s.locked && <LockBanner state={s} session={session} canAct={stillOwner} onChange={() => state.refetch()} />}
      {s && stillOwner && <RecoveryBanner state={s} session={session} onChange={() => state.refetch()} />}
      {s && !stillOwner && ownRecovery && (
        <section className={cx(ui.banner, ui.info)} role="status" aria-labelledby="own-rec-h">
          <h2 id="own-rec-h">Your recovery on this device</h2>
          <p>
            The phrase of this saved wallet no longer controls the account, but this device holds the new phrase of your
            recovery.
          </p>
          <Link className={ui.button} href="/recover">
            Continue the recovery
          </Link>
        </section>
      )}
      {s && !stillOwner && !ownRecovery && (
        <p className={ui.error} role="alert">
          This device&apos;s phrase no longer controls this account: another phrase does now (after a recovery or a
          phrase replacement). Restore the wallet with the newer phrase or kit from the Backup page.
        </p>
      )}
      <section className={ui.card} aria-labelledby="acct-h">
        <h2 id="acct-h">Account</h2>
        <AddressView address={session.backup.context.account} label="Account address" qr />
        <p>
          Balance:{" "}
          <strong className={ui.big} data-testid="balance" title={s ? `${formatEther(s.balance)} ETH` : undefined}>
            {s ? `${formatEthShort(s.balance)} ETH` : "…"}
          </strong>
        </p>
        {(tokens.data?.length ?? 0) > 0 && (
          <ul className={styles.tokens} aria-label="Tokens" data-testid="tokens">
            {tokens.data!.map((t) => (
              <li key={t.token}>
                <strong>
                  {formatUnits(t.balance, t.decimals)} {t.symbol}
                </strong>{" "}
                <span className={ui.hint}>{t.name}</span>
              </li>
            ))}
          </ul>
        )}
        <Button variant="secondary" onClick={close}>
          Lock this device
        </Button>
      </section>
      <ErrorText error={state.error} />
      {s && stillOwner && (
        <SendForm
          session={session}
          state={s}
          tokens={tokens.data ?? []}
          onSent={() => {
            state.refetch();
            tokens.refetch();
          }}
        />
      )}
      {s && stillOwner && <BackupHealth session={session} state={s} />}
      {s && stillOwner && <PendingChanges state={s} session={session} onChange={() => state.refetch()} />}
      {s && <AccountDetails state={s} />}
      {s && <Activity state={s} ownOwner={session.owner.address} />}
      {s && stillOwner && <GuardianDuties session={session} state={s} />}
      {s && stillOwner && !s.recovering && (
        <>
          <AddGuardian state={s} session={session} onChange={() => state.refetch()} />
          <section className={ui.card} aria-labelledby="exposed-h">
            <h2 id="exposed-h">Worried about your phrase?</h2>
            <p>
              If someone may have seen your recovery phrase, replace it now: your guardians approve, and the old phrase
              stops controlling this account at once.
            </p>
            <Link className={cx(ui.button, ui.secondary)} href="/rotate">
              My recovery phrase may be exposed
            </Link>
          </section>
        </>
      )}
    </>
  );
}
