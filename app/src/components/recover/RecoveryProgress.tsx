"use client";
import { aggregateApprovals } from "../../../../custos/approvals/aggregate";
import { sendExecuteRecoveryUserOp, sendStartRecoveryUserOp } from "../../../../custos/smartAccount/recoveryUserOps";
import { isAddressEqual } from "viem";
import type { Session } from "@/components/SessionProvider";
import { ApprovalCollector } from "@/components/ApprovalCollector";
import { OperationProgress } from "@/components/OperationProgress";
import { Countdown } from "@/components/Countdown";
import { ErrorText } from "@/components/ErrorText";
import { useAccountState } from "@/hooks/useAccountState";
import { useApprovalRequest } from "@/hooks/useApprovalRequest";
import { useBundlers, included, progressOf } from "@/hooks/useCustosAccount";
import { useOperation } from "@/hooks/useOperation";

/** D4 after the new seed exists: request link → k/threshold → start (UserOp) → countdown → execute. */
export function RecoveryProgress({ session, onDone }: { session: Session; onDone: () => void }) {
  const account = session.backup.context.account;
  const newOwner = session.owner.address;
  const state = useAccountState(account);
  const { recoveryBundler } = useBundlers();
  const start = useOperation();
  const finish = useOperation();

  const { request, collection } = useApprovalRequest(
    "Recovery",
    account,
    newOwner,
    state.data,
    !state.data?.recovering,
  );

  if (state.error) return <ErrorText error={state.error} />;
  if (!state.data) return <p>Reading the account…</p>;
  const s = state.data;
  const threshold = Number(s.config.threshold);
  const ours = s.recovery && isAddressEqual(s.recovery.newOwner, newOwner);

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
  const execute = async () => {
    const receipt = await finish.run(async (progress) => {
      const bundler = await recoveryBundler(account, session.owner);
      return included(await sendExecuteRecoveryUserOp(bundler, { onState: progressOf(progress) }));
    });
    if (receipt) onDone();
  };

  if (isAddressEqual(s.owner, newOwner)) {
    return (
      <section className="card">
        <p className="success">Recovery complete: this device now controls the account.</p>
        <button type="button" onClick={onDone}>
          Open my wallet
        </button>
      </section>
    );
  }

  if (s.recovery) {
    return (
      <section className="card" aria-labelledby="wait-h">
        <h2 id="wait-h">{ours ? "Recovery started" : "Another recovery is pending"}</h2>
        {ours ? (
          <p>
            The waiting period protects you: the current owner can still cancel. The recovery can be finished{" "}
            <strong>
              <Countdown until={s.recovery.executeAfter} chainNow={s.now} />
            </strong>
            .
          </p>
        ) : (
          <p className="error">A recovery to a different new owner is pending. Ask your guardians about it.</p>
        )}
        {ours && (
          <button type="button" onClick={execute} disabled={finish.busy}>
            Finish recovery
          </button>
        )}
        <OperationProgress stage={finish.stage} error={finish.error} />
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="collect-h">
      <h2 id="collect-h">Ask your guardians</h2>
      <p>
        Send this link to your guardians. Each one opens it, checks the details and signs with their own wallet. You
        need {threshold} of {s.config.guardians.length}.
      </p>
      <ApprovalCollector
        link={collection.link}
        requestJson={collection.requestJson}
        count={collection.verified.length}
        needed={threshold}
        serverError={collection.serverError}
        onPaste={collection.addManual}
        signers={collection.verified.map((v) => v.signer)}
      />
      <button type="button" onClick={submit} disabled={collection.verified.length < threshold || start.busy}>
        Start recovery
      </button>
      <p className="hint">The account pays for this step; your new phrase signs it.</p>
      <OperationProgress stage={start.stage} error={start.error} />
    </section>
  );
}
