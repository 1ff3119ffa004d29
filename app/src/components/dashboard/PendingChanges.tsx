"use client";
import {
  type PendingConfigChange,
  type AccountState,
  prepareCancelConfigChange,
  prepareConfirmConfigChange,
} from "@custos";
import type { Session } from "@/components/SessionProvider";
import { useEnv } from "@/components/EnvProvider";
import { Countdown } from "@/components/Countdown";
import { GuardianLabel } from "@/components/GuardianLabel";
import { OperationProgress } from "@/components/OperationProgress";
import { useSendCalls } from "@/hooks/useCustosAccount";
import { useOperation } from "@/hooks/useOperation";
import { Button, ui } from "@/components/ui";

function PendingChange({
  change,
  state,
  session,
  onChange,
}: {
  change: PendingConfigChange;
  state: AccountState;
  session: Session;
  onChange: () => void;
}) {
  const { env, publicClient } = useEnv();
  const sendCalls = useSendCalls();
  const op = useOperation();
  const has = (list: readonly string[], g: string) => list.some((x) => x.toLowerCase() === g.toLowerCase());
  const added = change.config.guardians.filter((g) => !has(state.config.guardians, g));
  const removed = state.config.guardians.filter((g) => !has(change.config.guardians, g));
  const act = async (which: "confirm" | "cancel") => {
    const receipt = await op.run(async (progress) => {
      const common = {
        account: state.address,
        sender: session.owner.address,
        config: state.config,
        fromBlock: BigInt(env.deploymentBlock),
      };
      const call =
        which === "confirm"
          ? await prepareConfirmConfigChange(publicClient, { ...common, next: change.config })
          : await prepareCancelConfigChange(publicClient, { ...common, nextConfigHash: change.configHash });
      return sendCalls({ owner: session.owner, account: state.address, calls: [call] }, progress);
    });
    if (receipt) onChange();
  };
  return (
    <li data-testid="pending-change" data-status={change.status}>
      <ul>
        {added.map((g) => (
          <li key={g}>
            Add guardian <GuardianLabel address={g} />
          </li>
        ))}
        {removed.map((g) => (
          <li key={g}>
            Remove guardian <GuardianLabel address={g} />
          </li>
        ))}
        <li>
          {change.config.guardians.length} {change.config.guardians.length === 1 ? "guardian" : "guardians"}, a recovery
          needs {change.config.threshold.toString()}
        </li>
      </ul>
      <p>
        {change.status === "waiting" ? (
          <>
            Can be confirmed <Countdown until={change.readyAt} chainNow={state.now} />, then within the window that
            closes <Countdown until={change.expiresAt} chainNow={state.now} />.
          </>
        ) : change.status === "confirmable" ? (
          <>
            Confirm now: the window closes <Countdown until={change.expiresAt} chainNow={state.now} />.
          </>
        ) : (
          "The confirmation window has passed: cancel it and ask again."
        )}
      </p>
      <Button onClick={() => act("confirm")} disabled={change.status !== "confirmable" || op.busy}>
        Confirm change
      </Button>{" "}
      <Button variant="secondary" onClick={() => act("cancel")} disabled={op.busy}>
        Cancel change
      </Button>
      <OperationProgress stage={op.stage} error={op.error} />
    </li>
  );
}

/** Requested guardian changes with live countdowns to their confirmation window. */
export function PendingChanges({
  state,
  session,
  onChange,
}: {
  state: AccountState;
  session: Session;
  onChange: () => void;
}) {
  if (state.pendingChanges.length === 0) return null;
  return (
    <section className={ui.card} aria-labelledby="pend-h">
      <h2 id="pend-h">Pending configuration changes</h2>
      <p className={ui.hint}>
        A change waits out the security period so a thief with your phrase cannot quietly replace your guardians.
      </p>
      <ul className={ui.plain}>
        {state.pendingChanges.map((c) => (
          <PendingChange key={c.configHash} change={c} state={state} session={session} onChange={onChange} />
        ))}
      </ul>
    </section>
  );
}
