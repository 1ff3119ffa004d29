"use client";
import { useCallback } from "react";
import type { Address, LocalAccount } from "viem";
import { prepareContractApproval, type ApprovalRequest } from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { useSendCalls } from "@/hooks/useCustosAccount";
import type { ProgressReporter } from "@/hooks/useOperation";

/**
 * This Custos account (owner `owner`) approves `request` of an account it guards on-chain (S14): the
 * library's `approveRecovery` / `approveCancel` call, sent as one owner UserOperation.
 */
export function useApproveFromAccount() {
  const { env, publicClient } = useEnv();
  const sendCalls = useSendCalls();
  return useCallback(
    async (
      params: { request: ApprovalRequest; guardian: Address; owner: LocalAccount },
      progress: ProgressReporter,
    ) => {
      const call = await prepareContractApproval(publicClient, {
        request: params.request,
        guardian: params.guardian,
        fromBlock: BigInt(env.deploymentBlock),
      });
      return sendCalls({ owner: params.owner, account: params.guardian, calls: [call] }, progress);
    },
    [env.deploymentBlock, publicClient, sendCalls],
  );
}
