"use client";
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  buildApprovalRequest,
  signApproval,
  verifyApproval,
  aggregateApprovals,
  cancelQuorum,
  sendCancelRecoveryUserOp,
  type AccountState,
} from "@custos";
import type { Session } from "@/components/SessionProvider";
import { useEnv } from "@/components/EnvProvider";
import { Countdown } from "@/components/Countdown";
import { ApprovalCollector } from "@/components/ApprovalCollector";
import { OperationProgress } from "@/components/OperationProgress";
import { useApprovalCollection } from "@/hooks/useApprovalCollection";
import { useBundlers, included, progressOf } from "@/hooks/useCustosAccount";
import { useOperation } from "@/hooks/useOperation";
import { Button, ui } from "@/components/ui";

/** The loud banner of a pending recovery, with the way to cancel it (owner + guardians quorum). */
export function RecoveryBanner({
  state,
  session,
  onChange,
}: {
  state: AccountState;
  session: Session;
  onChange: () => void;
}) {
  const { publicClient } = useEnv();
  const { recoveryBundler } = useBundlers();
  const op = useOperation();
  const needed = cancelQuorum(state.recovery?.guardianCount ?? state.config.guardians.length);
  const request = useQuery({
    queryKey: ["cancelRequest", state.address, state.nonce.toString(), state.recovery?.newOwner],
    queryFn: () => buildApprovalRequest(publicClient, { account: state.address, kind: "CancelRecovery" }),
    staleTime: Infinity,
    refetchInterval: false,
  });
  const expectation = useMemo(
    () => ({
      chainId: state.chainId,
      account: state.address,
      kind: "CancelRecovery" as const,
      newOwner: state.recovery?.newOwner,
      nonce: state.nonce,
      epoch: state.epoch,
      now: state.now,
      config: state.config,
      owner: state.owner,
    }),
    [state.nonce, state.epoch, state.configHash, state.recovery?.newOwner],
  );
  const collection = useApprovalCollection(request.data, expectation);
  if (!state.recovery) return null;

  const cancel = async () => {
    const receipt = await op.run(async (progress) => {
      const own = await verifyApproval(publicClient, await signApproval(session.owner, request.data!), expectation);
      const others = collection.verified.filter((v) => v.signer.toLowerCase() !== own.signer.toLowerCase());
      const { signatures } = aggregateApprovals([own, ...others].slice(0, needed));
      const bundler = await recoveryBundler(state.address, session.owner);
      return included(
        await sendCancelRecoveryUserOp(
          bundler,
          { deadline: request.data!.deadline, config: state.config, signatures },
          { onState: progressOf(progress) },
        ),
      );
    });
    if (receipt) onChange();
  };
  // guardians' signatures and on-chain approvals (contract guardians), plus the owner's own signature
  const have = collection.signers.filter((a) => a.toLowerCase() !== session.owner.address.toLowerCase()).length + 1;

  return (
    <section className={ui.banner} role="alert" aria-labelledby="rec-h" data-testid="recovery-banner">
      <h2 id="rec-h">A recovery of this account is pending</h2>
      <p>
        Someone asked your guardians to move this account to a new owner (<code>{state.recovery.newOwner}</code>). It
        can take effect <Countdown until={state.recovery.executeAfter} chainNow={state.now} />.
      </p>
      <p>
        If this was not you, cancel it now. Cancelling needs {needed} signature{needed > 1 ? "s" : ""} from you and your
        guardians together; yours counts as one.
      </p>
      {needed > 1 && (
        <ApprovalCollector
          link={collection.link}
          registered={!!collection.id}
          requestJson={collection.requestJson}
          count={Math.min(have, needed)}
          needed={needed}
          serverError={collection.serverError}
          onPaste={collection.addManual}
          signers={collection.signers}
        />
      )}
      <Button onClick={cancel} disabled={!request.data || have < needed || op.busy}>
        Cancel this recovery
      </Button>
      <OperationProgress stage={op.stage} error={op.error} />
    </section>
  );
}
