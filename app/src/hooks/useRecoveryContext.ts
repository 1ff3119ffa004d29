"use client";
import { useCallback } from "react";
import { getAddress, isAddress, type Address } from "viem";
import { contextFromConfig, type RecoveryContext } from "@custos/backup";
import { readCurrentConfig } from "@custos";
import { useEnv } from "@/components/EnvProvider";

/** The recovery context (guardians, threshold, delays) of the account at a typed address, read from the chain. */
export function useRecoveryContext() {
  const { env, publicClient } = useEnv();
  return useCallback(
    async (typed: string): Promise<RecoveryContext> => {
      const text = typed.trim();
      if (!isAddress(text, { strict: false })) {
        throw new Error("This is not an Ethereum address (0x followed by 40 hex characters).");
      }
      const account = getAddress(text) as Address;
      const code = await publicClient.getCode({ address: account });
      if (!code || code === "0x") throw new Error(`There is no Custos account at ${account} on this chain.`);
      const config = await readCurrentConfig(publicClient, account, { fromBlock: BigInt(env.deploymentBlock) });
      return contextFromConfig(account, env, config);
    },
    [env, publicClient],
  );
}
