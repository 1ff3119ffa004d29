"use client";
import { CHAIN_COOKIE, type ClientEnv } from "@/lib/env";
import styles from "./ChainSelect.module.css";

/**
 * The network the dApp uses, chosen among the chains the server serves (CUSTOS_NETWORKS). The choice
 * is kept in a cookie for a year, so the server renders the next page for it; the page reloads, so
 * every read and the wallet connection start over on the new chain. Nothing is shown for one chain.
 */
export function ChainSelect({ chains, chainId }: { chains: NonNullable<ClientEnv["chains"]>; chainId: number }) {
  if (chains.length < 2) return null;
  const choose = (value: string) => {
    document.cookie = `${CHAIN_COOKIE}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
    window.location.reload();
  };
  return (
    <select
      className={styles.chainSelect}
      aria-label="Network"
      value={String(chainId)}
      onChange={(e) => choose(e.target.value)}
    >
      {chains.map((c) => (
        <option key={c.chainId} value={String(c.chainId)}>
          {c.network} ({c.chainId})
        </option>
      ))}
    </select>
  );
}
