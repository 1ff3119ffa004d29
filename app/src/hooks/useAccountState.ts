"use client";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { readAccountState } from "@custos";
import { useEnv } from "@/components/EnvProvider";

/** The account's full state (owner, config, lock, recovery, pending changes, activity), polled. */
export function useAccountState(address: Address | undefined, enabled = true) {
  const { env, publicClient } = useEnv();
  return useQuery({
    queryKey: ["accountState", address],
    queryFn: () => readAccountState(publicClient, address!, { fromBlock: BigInt(env.deploymentBlock) }),
    enabled: !!address && enabled,
    refetchInterval: 2000,
  });
}
