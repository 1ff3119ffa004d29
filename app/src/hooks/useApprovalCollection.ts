"use client";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import {
  approvalRequestLink,
  encodeApprovalRequest,
  encodeSignedApproval,
  parseSignedApproval,
  verifyApproval,
  type ApprovalRequest,
  type VerifiedApproval,
  type ApprovalExpectation,
  readOnChainApprovers,
} from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { postApproval } from "@/lib/postApproval";

/** The link a guardian opens: the request travels in the URL, the server id only speeds collection. */
export function guardianLink(request: ApprovalRequest, id?: string): string {
  const link = new URL(approvalRequestLink(new URL("/guardian/approve", window.location.origin).href, request));
  if (id) link.searchParams.set("id", id);
  return link.href;
}

export { postApproval };

/**
 * Collects approvals of `request`: registers it with the dApp's API, polls stored approvals, accepts
 * pasted ones, and keeps only those the library verifies against the chain right now.
 */
export function useApprovalCollection(
  request: ApprovalRequest | undefined,
  expectation: ApprovalExpectation | undefined,
) {
  const { publicClient } = useEnv();
  const [id, setId] = useState<string>();
  const [serverError, setServerError] = useState("");
  const [manual, setManual] = useState<string[]>([]);
  const requestJson = request ? encodeApprovalRequest(request) : undefined;

  useEffect(() => {
    if (!requestJson) return;
    fetch("/api/requests", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request: requestJson }),
    })
      .then(async (res) => {
        const body = (await res.json()) as { id?: string; error?: { message: string } };
        if (body.id) setId(body.id);
        else setServerError(body.error?.message ?? "The approval server refused the request.");
      })
      .catch(() =>
        setServerError("The approval server is not reachable: share the link and paste signatures by hand."),
      );
  }, [requestJson]);

  const stored = useQuery({
    queryKey: ["approvals", id],
    queryFn: async () => {
      const res = await fetch(`/api/requests/${id}`, { cache: "no-store" });
      if (!res.ok) return [] as string[];
      return ((await res.json()) as { approvals: string[] }).approvals;
    },
    enabled: !!id,
    refetchInterval: 2000,
  });

  const all = [...(stored.data ?? []), ...manual];
  const key = all.join("|");
  const verified = useQuery({
    queryKey: ["verified", requestJson, key, expectation?.nonce.toString(), expectation?.epoch.toString()],
    queryFn: async () => {
      const out = new Map<string, VerifiedApproval>();
      for (const text of all) {
        try {
          const v = await verifyApproval(publicClient, parseSignedApproval(text), expectation!);
          if (v.deadline === request!.deadline) out.set(v.signer.toLowerCase(), v);
        } catch {
          // an approval that no longer verifies (stale, expired) is simply not counted
        }
      }
      return [...out.values()];
    },
    enabled: !!expectation && !!request,
    refetchInterval: false,
  });

  // Contract guardians (a Safe, another Custos account) approve on-chain: the account's own record counts.
  const guardians = expectation?.config.guardians;
  const onChain = useQuery({
    queryKey: ["onChainApprovers", requestJson, guardians?.join(",")],
    queryFn: () => readOnChainApprovers(publicClient, request!, guardians!),
    enabled: !!request && !!guardians,
    refetchInterval: 2000,
  });

  /** Adds a hand-pasted approval; throws the library's sentence when it does not verify. */
  const addManual = useCallback(
    async (text: string) => {
      const approval = parseSignedApproval(text);
      await verifyApproval(publicClient, approval, expectation!);
      const json = encodeSignedApproval(approval);
      setManual((m) => [...m, json]);
      if (id) await postApproval(id, json).catch(() => undefined);
    },
    [expectation, id, publicClient],
  );

  return {
    id,
    link: request ? guardianLink(request, id) : undefined,
    requestJson,
    serverError,
    verified: verified.data ?? [],
    /** Guardians whose approval the account recorded on-chain. */
    onChain: onChain.data ?? [],
    /** Distinct guardians approving: signatures and on-chain approvals together. */
    signers: [
      ...new Map(
        [...(verified.data ?? []).map((v) => v.signer), ...(onChain.data ?? [])].map((a) => [a.toLowerCase(), a]),
      ).values(),
    ],
    addManual,
  };
}
