"use client";
import { useState } from "react";
import { createConfig, http, WagmiProvider } from "wagmi";
import { injected } from "wagmi/connectors";
import { chainOf, useEnv } from "./EnvProvider";
import { rpcUrl } from "@/lib/env";

/** Guardians bring their own wallet: injected / EIP-6963 discovery through wagmi. Only the guardian pages load it. */
export function WagmiProviders({ children }: { children: React.ReactNode }) {
  const { env } = useEnv();
  const [config] = useState(() => {
    const url = typeof window === "undefined" ? "http://127.0.0.1/api/rpc" : rpcUrl();
    const chain = chainOf(env, url);
    return createConfig({
      chains: [chain],
      connectors: [injected()],
      multiInjectedProviderDiscovery: true,
      transports: { [chain.id]: http(url) },
      ssr: true,
    });
  });
  return <WagmiProvider config={config}>{children}</WagmiProvider>;
}
