"use client";
import { describeEvent } from "../../../../custos/state/describeEvent";
import { formatDuration } from "../../../../custos/errors";
import type { AccountState } from "../../../../custos/state/readAccountState";
import { Countdown } from "@/components/Countdown";
import { GuardianLabel } from "@/components/GuardianLabel";
import { AddressBookEditor } from "./AddressBookEditor";

/** Guardians (with the names and notes the user chose), configuration, lock state and activity. */
export function AccountDetails({ state }: { state: AccountState }) {
  return (
    <>
      <section className="card" aria-labelledby="guard-h">
        <h2 id="guard-h">Guardians</h2>
        <ul>
          {state.config.guardians.map((g) => (
            <li key={g}>
              <GuardianLabel address={g} />
              <AddressBookEditor address={g} />
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
                <td>{describeEvent(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
