"use client";
import { useCallback } from "react";
import type { Address, Hex, LocalAccount } from "viem";
import { toCustosSmartAccount } from "../../../custos/smartAccount/toCustosSmartAccount";
import { createCustosBundlerClient } from "../../../custos/smartAccount/bundler";
import { toUserOperationError } from "../../../custos/userop/errors";
import type { GuardianConfig } from "../../../custos/config";
import { useEnv } from "@/components/EnvProvider";
import { bundlerUrl } from "@/lib/env";
import type { ProgressReporter } from "./useOperation";

export interface Call {
  to: Address;
  value?: bigint;
  data?: Hex;
}

/**
 * Sends owner-signed calls from a Custos account through the bundler, reporting progress. The
 * account (and the first-UserOperation deployment when `config` is given) comes from custos/smartAccount.
 */
export function useSendCalls() {
  const { env, publicClient } = useEnv();
  return useCallback(
    async (
      params: { owner: LocalAccount; account?: Address; config?: GuardianConfig; calls: Call[] },
      progress: ProgressReporter,
    ) => {
      const account = await toCustosSmartAccount({
        client: publicClient,
        owner: params.owner,
        factory: env.factory,
        config: params.config,
        address: params.account,
      });
      const bundler = createCustosBundlerClient({ client: publicClient, account, bundlerUrl: bundlerUrl() });
      try {
        progress("signing");
        const userOpHash = await bundler.sendUserOperation({ calls: params.calls });
        progress("submitted", { userOpHash });
        const receipt = await bundler.waitForUserOperationReceipt({ hash: userOpHash, timeout: 60_000 });
        if (!receipt.success) throw toUserOperationError(new Error(receipt.reason ?? "reverted"), { userOpHash });
        return receipt;
      } catch (error) {
        throw toUserOperationError(error);
      }
    },
    [env.factory, publicClient],
  );
}
