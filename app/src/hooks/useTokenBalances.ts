"use client";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { listTokenBalances } from "@custos";
import { useEnv } from "@/components/EnvProvider";

/** ERC-20 tokens the account holds (from Transfer logs through the library's chunked, incremental reader). */
export function useTokenBalances(account: Address | undefined, enabled = true) {
  const { env, publicClient } = useEnv();
  return useQuery({
    queryKey: ["tokenBalances", account],
    queryFn: () => listTokenBalances(publicClient, account!, { fromBlock: BigInt(env.deploymentBlock) }),
    enabled: !!account && enabled,
    refetchInterval: 4000,
  });
}
