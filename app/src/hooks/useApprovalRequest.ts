"use client";
import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { buildApprovalRequest, type ApprovalRequest, type AccountState } from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { useApprovalCollection } from "@/hooks/useApprovalCollection";
import { readSavedRequest, saveRequest } from "@/lib/savedRequests";

/**
 * A guardian request of `kind` for `account` → `newOwner`, bound to the account's live nonce and epoch,
 * and the collection of its approvals (checked against what the account expects right now).
 */
export function useApprovalRequest(
  kind: "Recovery" | "Rotation",
  account: Address,
  newOwner: Address,
  state: AccountState | undefined,
  enabled: boolean,
) {
  const { publicClient } = useEnv();
  const request = useQuery({
    queryKey: [`${kind}Request`, account, newOwner, state?.nonce.toString(), state?.epoch.toString()],
    queryFn: async (): Promise<ApprovalRequest> => {
      // the same request across reloads and days, while the account would still accept it
      const saved = readSavedRequest({ kind, account, newOwner, nonce: state!.nonce, epoch: state!.epoch }, state!.now);
      if (saved) return saved;
      const built = await buildApprovalRequest(publicClient, { account, kind, newOwner });
      saveRequest(built);
      return built;
    },
    enabled: !!state && enabled,
    staleTime: Infinity,
    refetchInterval: false,
  });
  const expectation = useMemo(
    () =>
      state && request.data
        ? {
            chainId: state.chainId,
            account,
            kind,
            newOwner,
            nonce: state.nonce,
            epoch: state.epoch,
            now: state.now,
            config: state.config,
          }
        : undefined,
    // the expectation changes only when the nonce/epoch/config do
    [state?.nonce, state?.epoch, state?.configHash, request.data],
  );
  const collection = useApprovalCollection(enabled ? request.data : undefined, expectation);
  return { request, collection };
}
