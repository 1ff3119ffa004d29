"use client";
import { formatDuration, type AccountState } from "@custos";
import { Countdown } from "@/components/Countdown";
import { GuardianLabel } from "@/components/GuardianLabel";
import { AddressBookEditor } from "./AddressBookEditor";
import { ui } from "@/components/ui";

/** Guardians (with the names and notes the user chose), configuration and lock state. */
export function AccountDetails({ state }: { state: AccountState }) {
  return (
    <>
      <section className={ui.card} aria-labelledby="guard-h">
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
          {state.config.guardians.length === 1 ? "guardian" : "guardians"} and then waits{" "}
          <strong>{formatDuration(state.config.recoveryDelay)}</strong>. A guardian lock lasts{" "}
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
    </>
  );
}
