"use client";
import { Suspense, useMemo, useState } from "react";
import { useSearchParams } from "next/navigation";
import { getAddress, isAddressEqual } from "viem";
import { useConnection, useSignTypedData } from "wagmi";
import { useQuery } from "@tanstack/react-query";
import { encodeSignedApproval, parseApprovalRequest, approvalTypedData, readCurrentConfig } from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { ConnectWallet } from "@/components/guardian/ConnectWallet";
import { ContractGuardians } from "@/components/guardian/ContractGuardians";
import { REQUEST_WHAT, newOwnerHeading, validUntil } from "@/components/guardian/requestText";
import { useGuardianKinds } from "@/hooks/useGuardianKinds";
import { ErrorText } from "@/components/ErrorText";
import { postApproval } from "@/hooks/useApprovalCollection";
import { useLatestBlockTime } from "@/hooks/useLatestBlockTime";
import { CopyShare } from "@/components/CopyShare";
import { errorMessage } from "@/lib/errors";
import { Button, ui } from "@/components/ui";

/** Approvals older than this are refused by the dApp: a request link is for days, not months. */
const MAX_VALIDITY_SECONDS = 30n * 24n * 3600n;

/** Why a request's deadline makes it unsignable (undefined when it is fine). */
function checkDeadline(deadline: bigint, now: bigint | undefined): string | undefined {
  const ms = Number(deadline) * 1000;
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime()) || deadline <= 0n) {
    return "This request has no valid expiry date.";
  }
  if (now === undefined) return undefined;
  if (deadline <= now) return "This request has expired.";
  if (deadline - now > MAX_VALIDITY_SECONDS) {
    return "This request stays valid for more than 30 days, which Custos never asks for. It may not come from the owner.";
  }
  return undefined;
}

function Approve() {
  const params = useSearchParams();
  const { env, publicClient } = useEnv();
  const connection = useConnection();
  const { signTypedDataAsync } = useSignTypedData();
  const [signed, setSigned] = useState("");
  const [sent, setSent] = useState("");
  const [undelivered, setUndelivered] = useState("");
  const latest = useLatestBlockTime();
  const [error, setError] = useState<unknown>(null);
  const id = params.get("id") ?? undefined;
  const parsed = useMemo(() => {
    try {
      return { request: parseApprovalRequest(`http://x/?request=${params.get("request") ?? ""}`) };
    } catch (err) {
      return { error: err };
    }
  }, [params]);
  const request = parsed.request;
  const config = useQuery({
    queryKey: ["config", request?.account],
    queryFn: () => readCurrentConfig(publicClient, request!.account, { fromBlock: BigInt(env.deploymentBlock) }),
    enabled: !!request,
    refetchInterval: false,
  });
  const kinds = useGuardianKinds(config.data?.guardians);
  if (!request) return <ErrorText error={parsed.error ?? "This link carries no approval request."} />;
  const deadlineProblem = checkDeadline(request.deadline, latest.data);
  if (deadlineProblem) {
    return (
      <section className={ui.card} aria-labelledby="bad-h">
        <h1 id="bad-h">This request cannot be signed</h1>
        <p className={ui.error} role="alert">
          {deadlineProblem}
        </p>
        <p>Ask the owner for a new link.</p>
      </section>
    );
  }
  const isGuardian =
    !!connection.address && !!config.data?.guardians.some((g) => isAddressEqual(g, connection.address!));
  const ownedSafe = kinds.data?.find(
    (k) =>
      k.kind === "safe" && !!connection.address && k.safe.owners.some((o) => isAddressEqual(o, connection.address!)),
  );
  const sign = async () => {
    setError(null);
    try {
      const typed = approvalTypedData(request);
      const signature = await signTypedDataAsync({
        domain: typed.domain,
        types: typed.types,
        primaryType: typed.primaryType,
        message: typed.message,
      } as Parameters<typeof signTypedDataAsync>[0]);
      const json = encodeSignedApproval({ ...request, signer: getAddress(connection.address!), signature });
      setSigned(json);
      if (!id) {
        setUndelivered(
          "This link does not name the owner's approval server, so your approval was not delivered automatically.",
        );
        return;
      }
      try {
        await postApproval(id, json);
        setSent("Your approval was verified and delivered. The owner sees it now.");
      } catch (err) {
        setUndelivered(`Your approval did not reach the owner: ${errorMessage(err)}`);
      }
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>Approval request</h1>
      <section className={ui.card} aria-labelledby="what-h">
        <h2 id="what-h">Exactly what you sign</h2>
        <p>
          You are asked to <strong>{REQUEST_WHAT[request.kind]}</strong>. Only approve if you heard from the owner in
          person or by a channel you trust.
        </p>
        <table>
          <tbody>
            <tr>
              <th scope="row">Account</th>
              <td className={ui.mono} data-testid="req-account">
                {request.account}
              </td>
            </tr>
            <tr>
              <th scope="row">{newOwnerHeading(request.kind)}</th>
              <td className={ui.mono} data-testid="req-new-owner">
                {request.newOwner}
              </td>
            </tr>
            <tr>
              <th scope="row">Chain</th>
              <td>
                {request.chainId}
                {request.chainId !== env.chainId && (
                  <strong className={ui.errorText}> — not the chain this site serves ({env.chainId})</strong>
                )}
              </td>
            </tr>
            <tr>
              <th scope="row">Valid until</th>
              <td>{validUntil(request)}</td>
            </tr>
            <tr>
              <th scope="row">Nonce / epoch</th>
              <td>
                {request.nonce.toString()} / {request.epoch.toString()}
              </td>
            </tr>
          </tbody>
        </table>
      </section>
      <section className={ui.card}>
        <ConnectWallet />
        <ErrorText error={config.error} />
        {connection.address && config.isPending && <p>Reading the account&apos;s guardians…</p>}
        {connection.address && config.data && !isGuardian && ownedSafe && (
          <p className={ui.notice} data-testid="safe-owner-connected">
            The connected wallet owns the Safe <code>{ownedSafe.address}</code>, a guardian of this account: the Safe
            approves with the Safe transaction below, which you sign as its owner.
          </p>
        )}
        {connection.address && config.data && !isGuardian && !ownedSafe && (
          <p className={ui.error}>The connected wallet is not a guardian of this account.</p>
        )}
        {isGuardian && !signed && <Button onClick={sign}>Sign approval</Button>}
        <ErrorText error={error} />
        {sent && (
          <p className={ui.success} role="status">
            {sent}
          </p>
        )}
        {undelivered && (
          <div className={ui.warning} role="alert" data-testid="not-delivered">
            <p>{undelivered}</p>
            <p>Copy your signature below and send it to the owner (message, e-mail); they paste it on their page.</p>
          </div>
        )}
        {signed && (
          <>
            <label htmlFor="signed-json">Your signature (you can also send this text to the owner by hand)</label>
            <textarea id="signed-json" readOnly value={signed} data-testid="signed-approval" />
            <CopyShare text={signed} what="signature" />
          </>
        )}
      </section>
      {config.data && <ContractGuardians request={request} guardians={config.data.guardians} id={id} />}
    </>
  );
}

export default function ApprovePage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Approve />
    </Suspense>
  );
}
