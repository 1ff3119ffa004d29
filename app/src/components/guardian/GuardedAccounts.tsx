"use client";
import { useState } from "react";
import type { Address } from "viem";
import { useSendTransaction } from "wagmi";
import { prepareLock, prepareUnlock } from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { ErrorText } from "@/components/ErrorText";
import { Countdown } from "@/components/Countdown";
import { useAccountState } from "@/hooks/useAccountState";
import { useAddressBook } from "@/hooks/useAddressBook";
import { useGuardedAccounts } from "@/hooks/useGuardedAccounts";
import { AddressBookEditor } from "@/components/dashboard/AddressBookEditor";
import { Button, ui } from "@/components/ui";

function GuardedAccount({ account, guardian }: { account: Address; guardian: Address }) {
  const { publicClient } = useEnv();
  const state = useAccountState(account);
  const { sendTransactionAsync } = useSendTransaction();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const lookUp = useAddressBook();
  const name = lookUp(account).name;
  const short = `${account.slice(0, 6)}…${account.slice(-4)}`;
  const act = async (which: "lock" | "unlock") => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      const call = await (which === "lock" ? prepareLock : prepareUnlock)(publicClient, { account, guardian });
      const hash = await sendTransactionAsync({ to: call.to, data: call.data, value: call.value });
      await publicClient.waitForTransactionReceipt({ hash });
      await state.refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const s = state.data;
  return (
    <li className={ui.card} data-testid="guarded-account" aria-labelledby={`acct-${account}`}>
      <h3 id={`acct-${account}`}>{name ?? "Unnamed account"}</h3>
      <code>{account}</code>
      <AddressBookEditor address={account} summary="Name this account (kept on this device)" />
      {s && (
        <p>
          {s.locked ? (
            <>
              <strong>Locked</strong>, ends <Countdown until={s.lockedUntil} chainNow={s.now} />.
            </>
          ) : (
            "Not locked."
          )}{" "}
          {s.recovery && <strong className={ui.errorText}>A recovery to {s.recovery.newOwner} is pending.</strong>}
        </p>
      )}
      <p className={ui.hint}>
        Lock the account if you think its phrase was stolen: sending is paused for the lock period, recovery stays
        possible.
      </p>
      {confirming ? (
        <div className={ui.confirm} role="group" aria-label={`Confirm locking ${name ?? short}`}>
          <p>
            Lock <strong>{name ?? "this account"}</strong> (<code>{account}</code>)? Its owner cannot send until the
            lock ends or a guardian unlocks it.
          </p>
          <div className={ui.actions}>
            <Button variant="danger" disabled={busy} onClick={() => act("lock")}>
              Yes, lock {name ?? short}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Keep it unlocked
            </Button>
          </div>
        </div>
      ) : (
        <div className={ui.actions}>
          <Button variant="danger" disabled={busy || s?.locked} onClick={() => setConfirming(true)}>
            Lock account…
          </Button>
          <Button variant="secondary" disabled={busy || !s?.locked} onClick={() => act("unlock")}>
            Unlock
          </Button>
        </div>
      )}
      <ErrorText error={error} />
    </li>
  );
}

/** The accounts whose current configuration lists the connected guardian. */
export function GuardedAccounts({ guardian }: { guardian: Address }) {
  const found = useGuardedAccounts(guardian);
  if (found.error) return <ErrorText error={found.error} />;
  if (!found.data) return <p>Looking for accounts you guard…</p>;
  if (found.data.length === 0) return <p>You are not a guardian of any account on this chain yet.</p>;
  return (
    <ul className={ui.plain}>
      {found.data.map((a) => (
        <GuardedAccount key={a.account} account={a.account} guardian={guardian} />
      ))}
    </ul>
  );
}
