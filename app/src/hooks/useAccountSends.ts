"use client";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { listAccountSends } from "@custos";
import { useEnv } from "@/components/EnvProvider";

/** The account's ETH and token sends read from the chain (every device sees them), newest first. */
export function useAccountSends(account: Address | undefined, enabled = true) {
  const { env, publicClient } = useEnv();
  return useQuery({
    queryKey: ["accountSends", account],
    queryFn: () =>
      listAccountSends(publicClient, {
        account: account!,
        entryPoint: env.entryPoint,
        fromBlock: BigInt(env.deploymentBlock),
      }),
    enabled: !!account && enabled,
    refetchInterval: 4000,
  });
}
