"use client";
import { formatEther } from "viem";
import { formatDuration } from "../../../../custos/errors";
import type { AccountState } from "../../../../custos/state/readAccountState";
import type { KitGuardian } from "../../../../custos/backup/context";
import { Countdown } from "@/components/Countdown";

/** Guardians (with the names the user chose), configuration, lock state, pending changes and activity. */
export function AccountDetails({ state, names }: { state: AccountState; names: KitGuardian[] }) {
  const nameOf = (address: string) => names.find((g) => g.address.toLowerCase() === address.toLowerCase())?.name;
  return (
    <>
      <section className="card" aria-labelledby="guard-h">
        <h2 id="guard-h">Guardians</h2>
        <ul>
          {state.config.guardians.map((g) => (
            <li key={g}>
              {nameOf(g) ? <strong>{nameOf(g)} </strong> : null}
              <code>{g}</code>
            </li>
          ))}
        </ul>
        <p>
          A recovery needs <strong>{state.config.threshold.toString()}</strong> of {state.config.guardians.length}{" "}
          guardians and then waits <strong>{formatDuration(state.config.recoveryDelay)}</strong>. A guardian lock lasts{" "}
          {formatDuration(state.config.lockPeriod)}. Changes to this list wait{" "}
          {formatDuration(state.config.securityPeriod)} and must be confirmed within{" "}
          {formatDuration(state.config.securityWindow)}.
        </p>
        <p data-testid="lock-state">
          {state.locked ? (
            <>
              <strong>Locked by a guardian</strong>: sending is paused; the lock ends{" "}
              <Countdown until={state.lockedUntil} chainNow={state.now} />.
            </>
          ) : (
            "Not locked."
          )}
        </p>
      </section>
      {state.pendingChanges.length > 0 && (
        <section className="card" aria-labelledby="pend-h">
          <h2 id="pend-h">Pending configuration changes</h2>
          <ul>
            {state.pendingChanges.map((c) => (
              <li key={c.configHash}>
                {c.config.guardians.length} guardians, threshold {c.config.threshold.toString()} —{" "}
                {c.status === "waiting" ? (
                  <>
                    can be confirmed <Countdown until={c.readyAt} chainNow={state.now} />
                  </>
                ) : c.status === "confirmable" ? (
                  <>
                    confirmable now, window closes <Countdown until={c.expiresAt} chainNow={state.now} />
                  </>
                ) : (
                  "expired"
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-labelledby="act-h">
        <h2 id="act-h">Activity</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody data-testid="activity">
            {state.activity.slice(0, 25).map((e) => (
              <tr key={`${e.transactionHash}-${e.logIndex}`}>
                <td>{new Date(Number(e.timestamp) * 1000).toLocaleString()}</td>
                <td>
                  {e.eventName}
                  {typeof e.args.value === "bigint" ? ` ${formatEther(e.args.value)} ETH` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
