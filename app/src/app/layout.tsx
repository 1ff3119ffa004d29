import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { Providers } from "@/components/Providers";
import { clientEnv } from "@/lib/serverEnv";
import "./globals.css";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Custos — a wallet you cannot lose",
  description: "Self-custody smart wallet with guardian recovery",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  const env = clientEnv();
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="top">
          <Link href="/" className="brand">
            Custos
          </Link>
          <nav aria-label="Main">
            <Link href="/dashboard">Wallet</Link>
            <Link href="/backup">Backup</Link>
            <Link href="/recover">Recover</Link>
            <Link href="/guardian">Guardian</Link>
            <Link href="/alerts">Alerts</Link>
          </nav>
        </header>
        <main id="main">
          {env ? (
            <Providers env={env}>{children}</Providers>
          ) : (
            <section className="card">
              <h1>No deployment found</h1>
              <p>
                The contracts are not deployed on this network yet. Run <code>npm start</code> (or{" "}
                <code>npm run deploy -- --network localhost</code>) and reload this page.
              </p>
            </section>
          )}
        </main>
      </body>
    </html>
  );
}
