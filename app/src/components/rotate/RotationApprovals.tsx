"use client";
import type { Address } from "viem";
import { prepareRotateOwner, rotationQuorum } from "@custos";
import type { Session } from "@/components/SessionProvider";
import { useEnv } from "@/components/EnvProvider";
import { ApprovalCollector } from "@/components/ApprovalCollector";
import { ErrorText } from "@/components/ErrorText";
import { OperationProgress } from "@/components/OperationProgress";
import { useAccountState } from "@/hooks/useAccountState";
import { useApprovalRequest } from "@/hooks/useApprovalRequest";
import { useSendCalls } from "@/hooks/useCustosAccount";
import { useOperation } from "@/hooks/useOperation";
import { Button, Card } from "@/components/ui";

/**
 * S12 rotation: ⌈n/2⌉ guardians approve the new owner (same link/signature format as a recovery, kind
 * Rotation), then the CURRENT owner signs the UserOperation calling rotateOwner with their signatures.
 */
export function RotationApprovals({
  session,
  newOwner,
  onRotated,
}: {
  session: Session;
  newOwner: Address;
  onRotated: () => Promise<void>;
}) {
  const { env, publicClient } = useEnv();
  const account = session.backup.context.account;
  const state = useAccountState(account);
  const sendCalls = useSendCalls();
  const op = useOperation();
  const { collection } = useApprovalRequest("Rotation", account, newOwner, state.data, true);
  if (state.error) return <ErrorText error={state.error} />;
  if (!state.data) return <p>Reading the account…</p>;
  const s = state.data;
  const needed = rotationQuorum(s.config.guardians.length);
  const rotate = async () => {
    const receipt = await op.run(async (progress) => {
      const call = await prepareRotateOwner(publicClient, {
        account,
        newOwner,
        approvals: collection.verified.slice(0, needed),
        sender: session.owner.address,
        config: s.config,
        fromBlock: BigInt(env.deploymentBlock),
      });
      return sendCalls({ owner: session.owner, account, calls: [call] }, progress);
    });
    if (receipt) await onRotated();
  };
  return (
    <Card aria-labelledby="rapprove-h">
      <h2 id="rapprove-h">Ask your guardians</h2>
      <p>
        Replacing the phrase needs {needed} of your {s.config.guardians.length} guardians. Send them this link; each
        signs with their own wallet. Then your current phrase signs the change.
      </p>
      <ApprovalCollector
        link={collection.link}
        registered={!!collection.id}
        requestJson={collection.requestJson}
        count={Math.min(collection.verified.length, needed)}
        needed={needed}
        serverError={collection.serverError}
        onPaste={collection.addManual}
        signers={collection.verified.map((v) => v.signer)}
      />
      <Button onClick={rotate} disabled={collection.verified.length < needed || op.busy}>
        Replace my phrase now
      </Button>
      <OperationProgress stage={op.stage} error={op.error} />
    </Card>
  );
}
