"use client";
import { createContext, useContext, useMemo } from "react";
import { createPublicClient, defineChain, http, type Chain, type PublicClient } from "viem";
import { configureLogReads, httpLogIndex } from "@custos";
import { logIndexUrl, rpcUrl, type ClientEnv } from "@/lib/env";

interface EnvValue {
  env: ClientEnv;
  chain: Chain;
  publicClient: PublicClient;
}

const EnvContext = createContext<EnvValue | null>(null);

export function chainOf(env: ClientEnv, url: string): Chain {
  return defineChain({
    id: env.chainId,
    name: env.network === "localhost" ? "Local chain" : env.network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
}

export function EnvProvider({ env, children }: { env: ClientEnv; children: React.ReactNode }) {
  const value = useMemo(() => {
    const url = typeof window === "undefined" ? "http://127.0.0.1/api/rpc" : rpcUrl(env.chainId);
    const chain = chainOf(env, url);
    const publicClient = createPublicClient({ chain, transport: http(url), pollingInterval: 1000 }) as PublicClient;
    // Log reads come from the server's index of this chain (the watcher's /api/logs) when it has one,
    // each served log checked against its receipt; the chain serves the rest and is the fallback.
    if (typeof window !== "undefined") {
      configureLogReads(publicClient, { index: httpLogIndex(logIndexUrl(), { chainId: env.chainId }) });
    }
    return { env, chain, publicClient };
  }, [env]);
  return <EnvContext.Provider value={value}>{children}</EnvContext.Provider>;
}

export function useEnv(): EnvValue {
  const value = useContext(EnvContext);
  if (!value) throw new Error("useEnv outside EnvProvider");
  return value;
}
