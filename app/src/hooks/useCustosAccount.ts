"use client";
import { useCallback } from "react";
import type { Address, Hex, LocalAccount } from "viem";
import type { SmartAccount } from "viem/account-abstraction";
import {
  toCustosSmartAccount,
  toRecoverySmartAccount,
  createCustosBundlerClient,
  type CustosBundlerClient,
  VERIFICATION_GAS_MARGIN,
  assertIncluded,
  runUserOperation,
  type FinalUserOperationState,
  type UserOperationState,
  type GuardianConfig,
} from "@custos";
import { prepareUserOperation } from "viem/account-abstraction";
import { useEnv } from "@/components/EnvProvider";
import { bundlerUrl } from "@/lib/env";
import type { ProgressReporter } from "./useOperation";

export interface Call {
  to: Address;
  value?: bigint;
  data?: Hex;
}

/** Maps the library's UserOperation lifecycle onto the progress shown on screen. */
export function progressOf(progress: ProgressReporter) {
  return (state: UserOperationState) => {
    if (state.status === "preparing") progress("preparing");
    else if (state.status === "awaiting-signature") progress("signing");
    else if (state.status === "submitted") progress("submitted", { userOpHash: state.userOpHash });
  };
}

/** Bundler clients for the owner's account and for recovery operations (custos/smartAccount). */
export function useBundlers() {
  const { env, publicClient } = useEnv();
  const ownerBundler = useCallback(
    async (owner: LocalAccount, account?: Address, config?: GuardianConfig) => {
      const smart = await toCustosSmartAccount({
        client: publicClient,
        owner,
        factory: env.factory,
        config,
        address: account,
      });
      return createCustosBundlerClient({ client: publicClient, account: smart, bundlerUrl: bundlerUrl(env.chainId) });
    },
    [env.factory, env.chainId, publicClient],
  );
  const recoveryBundler = useCallback(
    async (account: Address, signer: LocalAccount) => {
      const smart = await toRecoverySmartAccount({ client: publicClient, account, signer });
      return createCustosBundlerClient({ client: publicClient, account: smart, bundlerUrl: bundlerUrl(env.chainId) });
    },
    [env.chainId, publicClient],
  );
  return { ownerBundler, recoveryBundler };
}

/** Sends owner-signed calls from a Custos account (deploying it first when `config` is given). */
export function useSendCalls() {
  const { ownerBundler } = useBundlers();
  return useCallback(
    async (
      params: { owner: LocalAccount; account?: Address; config?: GuardianConfig; calls: Call[] },
      progress: ProgressReporter,
    ) => {
      const bundlerClient = await ownerBundler(params.owner, params.account, params.config);
      const final = await runUserOperation({
        bundlerClient: bundlerClient as unknown as CustosBundlerClient<SmartAccount>,
        calls: params.calls,
        onState: progressOf(progress),
      });
      return assertIncluded(final);
    },
    [ownerBundler],
  );
}

/** The most the account pays in gas for these calls (the bundler's estimate at its current fees), in wei. */
export function useEstimateFee() {
  const { ownerBundler } = useBundlers();
  return useCallback(
    async (params: { owner: LocalAccount; account: Address; calls: Call[] }): Promise<bigint> => {
      const bundlerClient = await ownerBundler(params.owner, params.account);
      const op = await prepareUserOperation(bundlerClient, {
        account: bundlerClient.account,
        calls: params.calls,
      });
      const gas = op.callGasLimit + op.verificationGasLimit + VERIFICATION_GAS_MARGIN + op.preVerificationGas;
      return gas * op.maxFeePerGas;
    },
    [ownerBundler],
  );
}

export function included(final: FinalUserOperationState) {
  return assertIncluded(final);
}
