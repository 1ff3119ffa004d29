"use client";
import { isAddressEqual, type Address } from "viem";
import { prepareRequestConfigChange, removeGuardian, type AccountState } from "@custos";
import type { Session } from "@/components/SessionProvider";
import { useEnv } from "@/components/EnvProvider";
import { Countdown } from "@/components/Countdown";
import { OperationProgress } from "@/components/OperationProgress";
import { useAddressBook } from "@/hooks/useAddressBook";
import { useSendCalls } from "@/hooks/useCustosAccount";
import { useOperation } from "@/hooks/useOperation";
import { Banner, Button, ButtonLink, ui } from "@/components/ui";

/** The guardian holding the lock: the one of the account's latest Locked event (activity is newest first). */
export function lockerOf(state: AccountState): Address | undefined {
  const locked = state.activity.find((e) => e.eventName === "Locked");
  return locked ? (locked.args.guardian as Address) : undefined;
}

/**
 * S4 while a guardian lock holds: sending is paused, but the owner may remove the guardian who
 * locked the account (a change confirmable while locked) or replace the phrase, which ends the lock.
 */
export function LockBanner({
  state,
  session,
  canAct,
  onChange,
}: {
  state: AccountState;
  session: Session;
  /** This device's phrase still owns the account (it is not while another phrase does). */
  canAct: boolean;
  onChange: () => void;
}) {
  const { env, publicClient } = useEnv();
  const sendCalls = useSendCalls();
  const op = useOperation();
  const lookUp = useAddressBook();
  const locker = lockerOf(state);
  const isGuardian = locker ? state.config.guardians.some((g) => isAddressEqual(g, locker)) : false;
  const removalPending =
    !!locker &&
    state.pendingChanges.some(
      (c) => c.status !== "expired" && !c.config.guardians.some((g) => isAddressEqual(g, locker)),
    );
  // a name, or the short address (a full one would not fit a phone's width)
  const who = locker ? (lookUp(locker).name ?? `${locker.slice(0, 6)}…${locker.slice(-4)}`) : "a guardian";
  const remove = async () => {
    if (!locker) return;
    const receipt = await op.run(async (progress) => {
      const call = await prepareRequestConfigChange(publicClient, {
        account: state.address,
        sender: session.owner.address,
        config: state.config,
        fromBlock: BigInt(env.deploymentBlock),
        next: removeGuardian(state.config, locker),
      });
      return sendCalls({ owner: session.owner, account: state.address, calls: [call] }, progress);
    });
    if (receipt) onChange();
  };
  return (
    <Banner tone="lock" role="status" data-testid="lock-banner" aria-labelledby="lock-h">
      <h2 id="lock-h">This account is locked by a guardian</h2>
      <p data-testid="lock-summary">
        Locked by {who}. Sending is paused until the lock ends{" "}
        <Countdown until={state.lockedUntil} chainNow={state.now} /> or a guardian unlocks it.
      </p>
      {canAct && !state.recovering && (
        <>
          {locker && isGuardian && !removalPending && (
            <p>
              <Button onClick={remove} disabled={op.busy}>
                Remove {who} from your guardians
              </Button>{" "}
              <span className={ui.hint}>If you did not expect this lock.</span>
            </p>
          )}
          {locker && isGuardian && removalPending && (
            <p data-testid="lock-removal-pending">
              Removing {who} is pending below: confirm it when its security period ends.
            </p>
          )}
          {locker && !isGuardian && (
            <p data-testid="lock-locker-removed">{who} is no longer one of your guardians and cannot lock it again.</p>
          )}
          <OperationProgress stage={op.stage} error={op.error} />
          <p>
            <ButtonLink variant="secondary" href="/rotate">
              Replace my recovery phrase
            </ButtonLink>{" "}
            <span className={ui.hint}>Replacing it also ends the lock.</span>
          </p>
        </>
      )}
    </Banner>
  );
}
