"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import type { ClientEnv } from "@/lib/env";
import { EnvProvider } from "./EnvProvider";
import { SessionProvider } from "./SessionProvider";

export function Providers({ env, children }: { env: ClientEnv; children: React.ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchInterval: 2000, retry: 1, staleTime: 1000 } } }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <EnvProvider env={env}>
        <SessionProvider>{children}</SessionProvider>
      </EnvProvider>
    </QueryClientProvider>
  );
}
