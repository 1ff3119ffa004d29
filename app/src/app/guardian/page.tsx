"use client";
import { useConnection } from "wagmi";
import { ConnectWallet } from "@/components/guardian/ConnectWallet";
import { GuardedAccounts } from "@/components/guardian/GuardedAccounts";
import { ui } from "@/components/ui";

export default function GuardianPage() {
  const connection = useConnection();
  return (
    <>
      <h1>Guardian</h1>
      <section className={ui.card}>
        <ConnectWallet />
      </section>
      {connection.address && (
        <section aria-labelledby="guarded-h">
          <h2 id="guarded-h">Accounts you guard</h2>
          <GuardedAccounts guardian={connection.address} />
        </section>
      )}
      <section className={ui.card}>
        <h2>Got a request link?</h2>
        <p>Open the link the account owner sent you; it brings you to the approval page.</p>
      </section>
    </>
  );
}
