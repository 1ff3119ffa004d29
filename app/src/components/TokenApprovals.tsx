"use client";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { listTokenApprovals, type TokenApproval, revokeAllCalls } from "@custos";
import type { Session } from "@/components/SessionProvider";
import { useEnv } from "@/components/EnvProvider";
import { ErrorText } from "@/components/ErrorText";
import { OperationProgress } from "@/components/OperationProgress";
import { useSendCalls } from "@/hooks/useCustosAccount";
import { useOperation } from "@/hooks/useOperation";
import { Button, Card } from "@/components/ui";

function describe(a: TokenApproval): string {
  if (a.kind === "erc20") return `may spend ${a.allowance.toString()} units of token`;
  if (a.kind === "erc721") return `may move item #${a.tokenId.toString()} of`;
  return "may move every item of";
}

/** Spending approvals the account granted that still hold, and "revoke all" as one batched UserOperation. */
export function TokenApprovals({ account, session }: { account: Address; session: Session }) {
  const { env, publicClient } = useEnv();
  const sendCalls = useSendCalls();
  const op = useOperation();
  const approvals = useQuery({
    queryKey: ["tokenApprovals", account],
    queryFn: () => listTokenApprovals(publicClient, account, { fromBlock: BigInt(env.deploymentBlock) }),
    refetchInterval: 5000,
  });
  const revokeAll = async () => {
    const list = approvals.data ?? [];
    const receipt = await op.run((progress) =>
      sendCalls({ owner: session.owner, account, calls: revokeAllCalls(list) }, progress),
    );
    if (receipt) await approvals.refetch();
  };
  return (
    <Card aria-labelledby="tok-h">
      <h2 id="tok-h">Token approvals</h2>
      <p>
        Apps you approved can still move these tokens, whoever holds the old phrase. Revoke them all in one operation.
      </p>
      <ErrorText error={approvals.error} />
      {!approvals.data && !approvals.error && <p>Looking for approvals…</p>}
      {approvals.data?.length === 0 && <p data-testid="no-approvals">No token approvals are open.</p>}
      {approvals.data && approvals.data.length > 0 && (
        <>
          <ul data-testid="token-approvals">
            {approvals.data.map((a) => (
              <li key={`${a.kind}-${a.token}-${a.spender}-${a.kind === "erc721" ? a.tokenId : ""}`}>
                <code>{a.spender}</code> {describe(a)} <code>{a.token}</code>
              </li>
            ))}
          </ul>
          <Button onClick={revokeAll} disabled={op.busy}>
            Revoke all ({approvals.data.length})
          </Button>
        </>
      )}
      <OperationProgress stage={op.stage} error={op.error} />
    </Card>
  );
}
