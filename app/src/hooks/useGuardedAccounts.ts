"use client";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { findGuardedAccounts } from "@custos";
import { useEnv } from "@/components/EnvProvider";

/** The accounts whose current configuration lists `guardian` (a wallet, or a Custos account), polled. */
export function useGuardedAccounts(guardian: Address | undefined, enabled = true) {
  const { env, publicClient } = useEnv();
  return useQuery({
    queryKey: ["guarded", guardian],
    queryFn: () =>
      findGuardedAccounts(publicClient, guardian!, { factory: env.factory, fromBlock: BigInt(env.deploymentBlock) }),
    enabled: !!guardian && enabled,
    refetchInterval: 5000,
  });
}
