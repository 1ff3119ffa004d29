import { WagmiProviders } from "@/components/WagmiProviders";

export default function GuardianLayout({ children }: { children: React.ReactNode }) {
  return <WagmiProviders>{children}</WagmiProviders>;
}
