"use client";
import { useEffect, useState } from "react";
import { createConfig, http, injected, WagmiProvider } from "wagmi";
import { chainOf, useEnv } from "./EnvProvider";
import { rpcUrl } from "@/lib/env";

/**
 * Guardians bring their own wallet: injected / EIP-6963 discovery through wagmi. Only the guardian pages
 * load it. What a page shows depends on the wallets the browser announces, which the server cannot know:
 * the pages render after mounting, so the server's HTML never differs from the first client render.
 */
export function WagmiProviders({ children }: { children: React.ReactNode }) {
  const { env } = useEnv();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const [config] = useState(() => {
    const url = typeof window === "undefined" ? "http://127.0.0.1/api/rpc" : rpcUrl(env.chainId);
    const chain = chainOf(env, url);
    return createConfig({
      chains: [chain],
      connectors: [injected()],
      multiInjectedProviderDiscovery: true,
      transports: { [chain.id]: http(url) },
      ssr: true,
    });
  });
  return <WagmiProvider config={config}>{mounted ? children : <p aria-live="polite">Loading…</p>}</WagmiProvider>;
}
