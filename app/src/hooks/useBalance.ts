"use client";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useEnv } from "@/components/EnvProvider";

export function useBalance(address: Address | undefined) {
  const { publicClient } = useEnv();
  return useQuery({
    queryKey: ["balance", address],
    queryFn: () => publicClient.getBalance({ address: address! }),
    enabled: !!address,
  });
}

export function useIsDeployed(address: Address | undefined) {
  const { publicClient } = useEnv();
  return useQuery({
    queryKey: ["code", address],
    queryFn: async () => {
      const code = await publicClient.getCode({ address: address! });
      return !!code && code !== "0x";
    },
    enabled: !!address,
  });
}
