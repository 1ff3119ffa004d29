"use client";
import Link from "next/link";
import { formatEther } from "viem";
import { useSession } from "@/components/SessionProvider";
import { Unlock } from "@/components/Unlock";
import { AddressView } from "@/components/AddressView";
import { ErrorText } from "@/components/ErrorText";
import { DeployStep } from "@/components/create/DeployStep";
import { SendEth } from "@/components/dashboard/SendEth";
import { RecoveryBanner } from "@/components/dashboard/RecoveryBanner";
import { AccountDetails } from "@/components/dashboard/AccountDetails";
import { PendingChanges } from "@/components/dashboard/PendingChanges";
import { AddGuardian } from "@/components/dashboard/AddGuardian";
import { useAccountState } from "@/hooks/useAccountState";
import { useIsDeployed } from "@/hooks/useBalance";
import { formatEthShort } from "@/lib/formatEth";
import { isAddressEqual } from "viem";

export default function DashboardPage() {
  const { session, close } = useSession();
  const account = session?.backup.context.account;
  const deployed = useIsDeployed(account);
  const state = useAccountState(account, deployed.data === true);
  if (!session) return <Unlock />;
  if (deployed.data === false) return <DeployStep session={session} onDeployed={() => deployed.refetch()} />;
  const s = state.data;
  const stillOwner = s ? isAddressEqual(s.owner, session.owner.address) : true;
  return (
    <>
      <h1>My wallet</h1>
      {s && stillOwner && <RecoveryBanner state={s} session={session} onChange={() => state.refetch()} />}
      {s && !stillOwner && (
        <p className="error" role="alert">
          This device&apos;s phrase no longer controls this account: its owner is now <code>{s.owner}</code>.
        </p>
      )}
      <section className="card" aria-labelledby="acct-h">
        <h2 id="acct-h">Account</h2>
        <AddressView address={session.backup.context.account} label="Account address" qr />
        <p>
          Balance:{" "}
          <strong className="big" data-testid="balance" title={s ? `${formatEther(s.balance)} ETH` : undefined}>
            {s ? `${formatEthShort(s.balance)} ETH` : "…"}
          </strong>
        </p>
        <button type="button" className="secondary" onClick={close}>
          Lock this device
        </button>
      </section>
      <ErrorText error={state.error} />
      {s && stillOwner && <SendEth session={session} onSent={() => state.refetch()} />}
      {s && stillOwner && <PendingChanges state={s} session={session} onChange={() => state.refetch()} />}
      {s && <AccountDetails state={s} />}
      {s && stillOwner && !s.recovering && (
        <>
          <AddGuardian state={s} session={session} onChange={() => state.refetch()} />
          <section className="card" aria-labelledby="exposed-h">
            <h2 id="exposed-h">Worried about your phrase?</h2>
            <p>
              If someone may have seen your recovery phrase, replace it now: your guardians approve, and the old phrase
              stops controlling this account at once.
            </p>
            <Link className="button secondary" href="/rotate">
              My recovery phrase may be exposed
            </Link>
          </section>
        </>
      )}
    </>
  );
}
