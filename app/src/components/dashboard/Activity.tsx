"use client";
import { useMemo, useSyncExternalStore } from "react";
import type { AccountState } from "@custos";
import { useAddressBook } from "@/hooks/useAddressBook";
import { activityRows } from "@/lib/activity";
import { mergeSends, readSends, serverSends, subscribeSends } from "@/lib/sends";
import { useAccountSends } from "@/hooks/useAccountSends";
import { ui } from "@/components/ui";
import styles from "./Activity.module.css";

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** The account's history in sentences, with names, one row per recovery, and its sends (read from the chain). */
export function Activity({ state, ownOwner }: { state: AccountState; ownOwner?: string }) {
  const lookUp = useAddressBook();
  const allSends = useSyncExternalStore(subscribeSends, readSends, serverSends);
  const chainSends = useAccountSends(state.address);
  const rows = useMemo(() => {
    const sends = mergeSends(state.address, chainSends.data ?? [], allSends);
    const nameOf = (a: string) => lookUp(a).name ?? short(a);
    return activityRows(state.activity, sends, { nameOf, ownOwner });
  }, [state.activity, allSends, chainSends.data, ownOwner, state.address]);
  return (
    <section className={ui.card} aria-labelledby="act-h">
      <h2 id="act-h">Activity</h2>
      {rows.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ul className={styles.activity} data-testid="activity">
          {rows.slice(0, 30).map((r) => (
            <li key={r.key} data-kind={r.kind}>
              <span>{r.text}</span>
              <span className={styles.when}>
                <time dateTime={new Date(r.timestamp * 1000).toISOString()}>
                  {new Date(r.timestamp * 1000).toLocaleString()}
                </time>
                {r.transactionHash && (
                  <span className={`${ui.mono} hash`} title={r.transactionHash}>
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
