import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { Providers } from "@/components/Providers";
import { chosenClientEnv } from "@/lib/serverEnv";
import { ChainSelect } from "@/components/ChainSelect";
import "./globals.css";
import { Card } from "@/components/ui";
import styles from "./layout.module.css";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Custos — a wallet you cannot lose",
  description: "Self-custody smart wallet with guardian recovery",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const env = await chosenClientEnv();
  return (
    <html lang="en">
      <body>
        <a className={styles.skip} href="#main">
          Skip to content
        </a>
        <header className={styles.top}>
          <Link href="/" className={styles.brand}>
            Custos
          </Link>
          <nav aria-label="Main" className={styles.nav}>
            <Link href="/dashboard">Wallet</Link>
            <Link href="/backup">Backup</Link>
            <Link href="/recover">Recover</Link>
            <Link href="/guardian">Guardian</Link>
            <Link href="/alerts">Alerts</Link>
          </nav>
          {env?.chains ? <ChainSelect chains={env.chains} chainId={env.chainId} /> : null}
        </header>
        <main id="main" className={styles.main}>
          {env ? (
            <Providers env={env}>{children}</Providers>
          ) : (
            <Card>
              <h1>No deployment found</h1>
              <p>
                The contracts are not deployed on this network yet. Run <code>npm start</code> (or{" "}
                <code>npm run deploy -- --network localhost</code>) and reload this page.
              </p>
            </Card>
          )}
        </main>
      </body>
    </html>
  );
}
