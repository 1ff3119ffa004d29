"use client";
import { useEffect, useState } from "react";
import { isAddressEqual } from "viem";
import { aggregateApprovals, sendExecuteRecoveryUserOp, sendStartRecoveryUserOp } from "@custos";
import { useSession, type Session } from "@/components/SessionProvider";
import { ApprovalCollector } from "@/components/ApprovalCollector";
import { OperationProgress } from "@/components/OperationProgress";
import { Countdown } from "@/components/Countdown";
import { ErrorText } from "@/components/ErrorText";
import { useAccountState } from "@/hooks/useAccountState";
import { useApprovalRequest } from "@/hooks/useApprovalRequest";
import { useBundlers, included, progressOf } from "@/hooks/useCustosAccount";
import { useLatestBlockTime } from "@/hooks/useLatestBlockTime";
import { useOperation } from "@/hooks/useOperation";
import { promoteRecoveryVault, readVault } from "@/lib/vault";
import { Button, Card, Notice, ui } from "@/components/ui";

/**
 * D4 after the new seed exists, at whatever step the chain is at (this component is what a reopened tab
 * comes back to): request link → k/threshold → start (UserOp) → countdown → Finish → the saved wallet.
 */
export function RecoveryProgress({ session, onDone }: { session: Session; onDone: () => void }) {
  const { open } = useSession();
  const account = session.backup.context.account;
  const newOwner = session.owner.address;
  const state = useAccountState(account);
  const latest = useLatestBlockTime();
  const { recoveryBundler } = useBundlers();
  const start = useOperation();
  const finish = useOperation();

  const { request, collection } = useApprovalRequest(
    "Recovery",
    account,
    newOwner,
    state.data,
    !!state.data && !state.data.recovering && !isAddressEqual(state.data.owner, newOwner),
  );

  if (state.error) return <ErrorText error={state.error} />;
  if (!state.data) return <p aria-live="polite">Reading the account…</p>;
  const s = state.data;
  const threshold = Number(s.config.threshold);

  if (isAddressEqual(s.owner, newOwner)) return <RecoveryComplete session={session} onDone={onDone} />;

  if (s.recovery) {
    const ours = isAddressEqual(s.recovery.newOwner, newOwner);
    // judged at the latest block, as the bundler simulates; valid at executeAfter itself
    const due = latest.data !== undefined && latest.data >= s.recovery.executeAfter;
    const execute = async () => {
      const receipt = await finish.run(async (progress) => {
        const bundler = await recoveryBundler(account, session.owner);
        return included(await sendExecuteRecoveryUserOp(bundler, { onState: progressOf(progress) }));
      });
      if (!receipt) return;
      // A state refresh may have shown "Recovery complete" first, which already promoted the vault.
      const promotedMeanwhile =
        !readVault("recovery") && readVault("wallet")?.account.toLowerCase() === account.toLowerCase();
      if (promoteRecoveryVault() || promotedMeanwhile) {
        open(session.backup, "wallet");
        onDone();
      } else await state.refetch();
    };
    return (
      <Card aria-labelledby="wait-h" data-testid="recovery-step" data-step="waiting">
        <h2 id="wait-h">{ours ? "Recovery started" : "Another recovery is pending"}</h2>
        {ours ? (
          <>
            <p>
              Your guardians approved. The waiting period protects you: the current owner can still cancel. The recovery
              can be finished{" "}
              <strong>
                <Countdown until={s.recovery.executeAfter} chainNow={latest.data ?? s.now} reached={due} />
              </strong>
              .
            </p>
            <p className={ui.hint}>
              You can close this page: when you come back, unlock with the wallet password of the new phrase and finish
              here. Finishing is paid by the account.
            </p>
            <Button onClick={execute} disabled={!due || finish.busy}>
              Finish recovery
            </Button>
            {!due && <p className={ui.hint}>Finish becomes available when the waiting period ends.</p>}
          </>
        ) : (
          <Notice tone="error" role="alert">
            A recovery to a different new owner is pending. Ask your guardians about it: they can cancel it together
            with the owner.
          </Notice>
        )}
        <OperationProgress stage={finish.stage} error={finish.error} />
      </Card>
    );
  }

  const submit = async () => {
    const { signatures } = aggregateApprovals(collection.verified);
    await start.run(async (progress) => {
      const bundler = await recoveryBundler(account, session.owner);
      return included(
        await sendStartRecoveryUserOp(
          bundler,
          { newOwner, deadline: request.data!.deadline, config: s.config, signatures },
          { onState: progressOf(progress) },
        ),
      );
    });
    await state.refetch();
  };

  return (
    <Card aria-labelledby="collect-h" data-testid="recovery-step" data-step="collect">
      <h2 id="collect-h">Ask your guardians</h2>
      <p>
        Send this link to your guardians. Each one opens it, checks the details and signs with their own wallet. You
        need {threshold} of {s.config.guardians.length}. You can close this page meanwhile: approvals are kept, and this
        device comes back here.
      </p>
      <ApprovalCollector
        link={collection.link}
        registered={!!collection.id}
        requestJson={collection.requestJson}
        count={collection.signers.length}
        needed={threshold}
        serverError={collection.serverError}
        onPaste={collection.addManual}
        signers={collection.signers}
      />
      <Button onClick={submit} disabled={collection.signers.length < threshold || start.busy}>
        Start recovery
      </Button>
      <p className={ui.hint}>The account pays for this step; your new phrase signs it.</p>
      <OperationProgress stage={start.stage} error={start.error} />
    </Card>
  );
}

/** The chain says the new phrase owns the account: its vault becomes the saved wallet (never silently over another). */
function RecoveryComplete({ session, onDone }: { session: Session; onDone: () => void }) {
  const { open } = useSession();
  const [conflict, setConflict] = useState<string | null>(null);
  useEffect(() => {
    if (!readVault("recovery")) return;
    if (!promoteRecoveryVault()) setConflict(readVault("wallet")?.account ?? null);
  }, []);
  const openWallet = () => {
    open(session.backup, conflict ? "recovery" : "wallet");
    onDone();
  };
  return (
    <Card aria-labelledby="done-h" data-testid="recovery-step" data-step="done">
      <h2 id="done-h">Recovery complete</h2>
      <Notice tone="success">This device now controls the account with the new phrase.</Notice>
      {conflict && (
        <Notice tone="warning" block>
          <p>
            This device also holds a saved wallet for another account (<span className={ui.mono}>{conflict}</span>). It
            was kept. Replace it with the recovered account only if you have that wallet&apos;s words or kit.
          </p>
          <Button
            variant="secondary"
            onClick={() => {
              promoteRecoveryVault({ replaceOther: true });
              setConflict(null);
            }}
          >
            Replace the other saved wallet
          </Button>
        </Notice>
      )}
      <Button onClick={openWallet}>Open my wallet</Button>
    </Card>
  );
}
