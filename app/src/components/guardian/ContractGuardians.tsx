"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Address, Hex } from "viem";
import { useConnection, useSendTransaction, useSignTypedData } from "wagmi";
import {
  addSafeOwnerSignature,
  approvalRequestLink,
  createSafeApproval,
  encodeSafeApproval,
  mergeSafeApprovals,
  parseSafeApproval,
  safeApprovalExecCall,
  safeTransactionHash,
  safeTransactionTypedData,
  type ApprovalRequest,
  type GuardianKind,
  type SafeApproval,
} from "@custos";
import { CopyShare } from "@/components/CopyShare";
import { ErrorText } from "@/components/ErrorText";
import { GuardianLabel } from "@/components/GuardianLabel";
import { Button, ButtonLink, Card, Field, Notice, ui } from "@/components/ui";
import { useEnv } from "@/components/EnvProvider";
import { useGuardianKinds } from "@/hooks/useGuardianKinds";
import { downloadText } from "@/lib/download";
import styles from "./ContractGuardians.module.css";

const SUBJECT: Record<ApprovalRequest["kind"], string> = {
  Recovery: "this recovery",
  CancelRecovery: "cancelling this recovery",
  Rotation: "this phrase replacement",
};

/** A Safe guardian: the Safe transaction its owners sign (D3, S14), signed here by an owner's wallet or elsewhere. */
function SafeGuardian({ request, safe }: { request: ApprovalRequest; safe: Address }) {
  const { env, publicClient } = useEnv();
  const connection = useConnection();
  const { signTypedDataAsync } = useSignTypedData();
  const { sendTransactionAsync } = useSendTransaction();
  const [signed, setSigned] = useState<SafeApproval | null>(null);
  const [pasted, setPasted] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [executed, setExecuted] = useState<Hex | null>(null);
  const made = useQuery({
    queryKey: ["safeApproval", safe, request.account, request.kind, request.newOwner, request.deadline.toString()],
    queryFn: () => createSafeApproval(publicClient, { request, safe, fromBlock: BigInt(env.deploymentBlock) }),
    staleTime: Infinity,
    refetchInterval: false,
    retry: false,
  });
  if (made.error) return <ErrorText error={made.error} />;
  if (!made.data) return <p aria-live="polite">Preparing the Safe transaction…</p>;
  const approval = signed ?? made.data;
  const { transaction } = approval;
  const hash = safeTransactionHash(transaction);
  const file = encodeSafeApproval(approval);
  const filename = `custos-safe-approval-${safe.slice(0, 8).toLowerCase()}.json`;
  const me = connection.address;
  const isOwner = !!me && approval.owners.some((o) => o.toLowerCase() === me.toLowerCase());
  const mine = !!me && approval.signatures.some((s) => s.owner.toLowerCase() === me.toLowerCase());
  const enough = approval.signatures.length >= approval.threshold;

  const act = async (what: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await what();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const sign = () =>
    act(async () => {
      const typed = safeTransactionTypedData(transaction);
      const signature = await signTypedDataAsync(typed as Parameters<typeof signTypedDataAsync>[0]);
      setSigned(await addSafeOwnerSignature(approval, { owner: me!, signature }));
    });
  const addPasted = () =>
    act(async () => {
      const other = parseSafeApproval(pasted);
      let merged = mergeSafeApprovals(approval, { ...other, signatures: [] });
      for (const entry of other.signatures) merged = await addSafeOwnerSignature(merged, entry);
      setSigned(merged);
      setPasted("");
    });
  const execute = () =>
    act(async () => {
      const call = await safeApprovalExecCall(publicClient, approval);
      const tx = await sendTransactionAsync({ to: call.to, data: call.data, value: call.value });
      const receipt = await publicClient.waitForTransactionReceipt({ hash: tx });
      if (receipt.status !== "success") {
        throw new Error("The Safe transaction was mined but failed: the approval was not recorded. Make a new one.");
      }
      setExecuted(tx);
    });

  return (
    <div className={styles.safe} data-testid="safe-guardian">
      <h3>
        Guardian <GuardianLabel address={safe} /> is a Safe
      </h3>
      <p>
        A Safe approves {SUBJECT[request.kind]} with a transaction on the chain: {approval.threshold} of its{" "}
        {approval.owners.length} owners sign it, then anyone sends it. This is that transaction.
      </p>
      <dl className={styles.tx}>
        <dt>Safe</dt>
        <dd className={ui.mono}>{transaction.safe}</dd>
        <dt>To (the account)</dt>
        <dd className={ui.mono}>{transaction.to}</dd>
        <dt>Value</dt>
        <dd>0 ETH</dd>
        <dt>Data</dt>
        <dd className={`${ui.mono} ${styles.data}`} data-testid="safe-tx-data">
          {transaction.data}
        </dd>
        <dt>Safe nonce</dt>
        <dd data-testid="safe-tx-nonce">{transaction.nonce.toString()}</dd>
        <dt>SafeTx hash</dt>
        <dd className={ui.mono} data-testid="safe-tx-hash">
          {hash}
        </dd>
        <dt>Signed</dt>
        <dd data-testid="safe-signed">
          {approval.signatures.length} of {approval.threshold} owner signatures
        </dd>
      </dl>
      <div className={ui.actions}>
        <CopyShare text={file} what="Safe transaction file" />
        <Button variant="secondary" onClick={() => downloadText(filename, file)}>
          Download the Safe transaction
        </Button>
      </div>
      <details>
        <summary>How the Safe&apos;s owners sign it</summary>
        <ul>
          <li>
            <strong>In Safe{"{Wallet}"}:</strong> an owner creates a transaction to the account above with value 0 and
            the data above (Transaction Builder, custom data) at Safe nonce {transaction.nonce.toString()}. The Safe
            shows the same SafeTx hash; the other owners confirm it, and the last one executes it.
          </li>
          <li>
            <strong>With the Custos command line:</strong> save the file, then each owner runs{" "}
            <code>npm run custos -- safe sign --tx {filename}</code> with their key in <code>CUSTOS_GUARDIAN_KEY</code>,
            and anyone runs <code>npm run custos -- safe exec --tx {filename}</code>.
          </li>
          <li>
            <strong>Here:</strong> an owner connects their wallet above and signs; another owner&apos;s signed file can
            be pasted below. When enough owners signed, any connected wallet sends it.
          </li>
        </ul>
      </details>
      {executed ? (
        <Notice tone="success" role="status" data-testid="safe-executed">
          The Safe approved on the chain (transaction <span className={ui.mono}>{executed}</span>). The owner&apos;s
          page counts it now.
        </Notice>
      ) : (
        <>
          {isOwner && !mine && (
            <Button onClick={sign} disabled={busy}>
              Sign as a Safe owner
            </Button>
          )}
          {me && !isOwner && !enough && (
            <Notice>The connected wallet is not an owner of this Safe: it can send the transaction once signed.</Notice>
          )}
          {enough && (
            <Button onClick={execute} disabled={busy || !me}>
              Execute the Safe transaction
            </Button>
          )}
          {enough && !me && <Notice>Connect any wallet with a little ETH to send it.</Notice>}
          <Field
            as="textarea"
            label="Paste a Safe transaction file another owner signed"
            id={`safe-paste-${safe}`}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
          />
          <Button variant="secondary" onClick={addPasted} disabled={busy || !pasted.trim()}>
            Add their signatures
          </Button>
        </>
      )}
      <ErrorText error={error} />
    </div>
  );
}

/** Another Custos account as guardian: its owner approves from that account's own dashboard. */
function CustosGuardian({ request, guardian, id }: { request: ApprovalRequest; guardian: Address; id?: string }) {
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const link = new URL(approvalRequestLink(new URL("/dashboard", window.location.origin).href, request));
    if (id) link.searchParams.set("id", id);
    setHref(link.pathname + link.search);
  }, [request, id]);
  return (
    <div className={styles.safe} data-testid="custos-guardian">
      <h3>
        Guardian <GuardianLabel address={guardian} /> is a Custos account
      </h3>
      <p>
        It approves from its own wallet: open this request on the device that holds that account, unlock it, and press
        &quot;Approve with this account&quot;. One operation signed by its phrase records the approval on the chain.
      </p>
      {href && (
        <ButtonLink variant="secondary" href={href}>
          Open in my Custos wallet
        </ButtonLink>
      )}
      <p className={ui.hint}>
        From the command line:{" "}
        <code>npm run custos -- recovery approve --request &lt;this link&gt; --from-account</code>{" "}
        <code>{guardian}</code> with the owner key in <code>CUSTOS_OWNER_KEY</code>.
      </p>
    </div>
  );
}

/**
 * What each contract guardian of the account does with this request (D3, S14): a contract cannot sign,
 * it approves on-chain. Nothing is shown when all guardians are keys.
 */
export function ContractGuardians({
  request,
  guardians,
  id,
}: {
  request: ApprovalRequest;
  guardians: readonly Address[];
  id?: string;
}) {
  const kinds = useGuardianKinds(guardians);
  if (kinds.error) return <ErrorText error={kinds.error} />;
  const contracts = (kinds.data ?? []).filter((k): k is Exclude<GuardianKind, { kind: "key" }> => k.kind !== "key");
  if (contracts.length === 0) return null;
  return (
    <Card aria-labelledby="contract-h" data-testid="contract-guardians">
      <h2 id="contract-h">Guardians that are contracts</h2>
      {request.kind === "Rotation" ? (
        <Notice>
          A phrase replacement is approved with signatures only: a Safe or another account cannot approve it. The owner
          needs enough guardians that are wallets, or a recovery instead.
        </Notice>
      ) : (
        contracts.map((k) =>
          k.kind === "safe" ? (
            <SafeGuardian key={k.address} request={request} safe={k.address} />
          ) : k.kind === "custos" ? (
            <CustosGuardian key={k.address} request={request} guardian={k.address} id={id} />
          ) : (
            <div key={k.address} className={styles.safe}>
              <h3>
                Guardian <GuardianLabel address={k.address} /> is a contract
              </h3>
              <p>
                It approves by calling the account&apos;s <code>approveRecovery</code> (or <code>approveCancel</code>)
                itself, with this request&apos;s new owner and deadline, the way its own rules allow.
              </p>
            </div>
          ),
        )
      )}
    </Card>
  );
}
