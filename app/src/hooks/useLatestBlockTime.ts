"use client";
import { useQuery } from "@tanstack/react-query";
import { useEnv } from "@/components/EnvProvider";

/**
 * The latest block's timestamp (unix seconds), polled: what the bundler simulates a UserOperation at.
 * "Can this be executed yet?" is judged here, so a button is enabled exactly when the chain allows it.
 */
export function useLatestBlockTime() {
  const { publicClient } = useEnv();
  return useQuery({
    queryKey: ["latestBlockTime"],
    queryFn: async () => (await publicClient.getBlock({ blockTag: "latest" })).timestamp,
    refetchInterval: 2000,
  });
}
