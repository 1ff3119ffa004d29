"use client";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { readGuardianKinds } from "@custos";
import { useEnv } from "@/components/EnvProvider";

/** What each guardian is (a key, a Safe, a Custos account, another contract): it decides how it approves. */
export function useGuardianKinds(guardians: readonly Address[] | undefined) {
  const { publicClient } = useEnv();
  return useQuery({
    queryKey: ["guardianKinds", guardians?.join(",")],
    queryFn: () => readGuardianKinds(publicClient, guardians!),
    enabled: !!guardians,
    staleTime: 60_000,
  });
}
