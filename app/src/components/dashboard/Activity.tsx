"use client";
import { useMemo, useSyncExternalStore } from "react";
import type { AccountState } from "@custos";
import { useAddressBook } from "@/hooks/useAddressBook";
import { activityRows } from "@/lib/activity";
import { readSends, serverSends, subscribeSends } from "@/lib/sends";

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** The account's history in sentences, with names, one row per recovery, and this device's sends. */
export function Activity({ state, ownOwner }: { state: AccountState; ownOwner?: string }) {
  const lookUp = useAddressBook();
  const allSends = useSyncExternalStore(subscribeSends, readSends, serverSends);
  const rows = useMemo(() => {
    const sends = allSends.filter((s) => s.account.toLowerCase() === state.address.toLowerCase());
    const nameOf = (a: string) => lookUp(a).name ?? short(a);
    return activityRows(state.activity, sends, { nameOf, ownOwner });
  }, [state.activity, allSends, ownOwner, state.address]);
  return (
    <section className="card" aria-labelledby="act-h">
      <h2 id="act-h">Activity</h2>
      {rows.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ul className="activity" data-testid="activity">
          {rows.slice(0, 30).map((r) => (
            <li key={r.key} data-kind={r.kind}>
              <span className="what">{r.text}</span>
              <span className="when">
                <time dateTime={new Date(r.timestamp * 1000).toISOString()}>
                  {new Date(r.timestamp * 1000).toLocaleString()}
                </time>
                {r.transactionHash && (
                  <span className="mono hash" title={r.transactionHash}>
                    {" "}
                    · tx {short(r.transactionHash)}
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
