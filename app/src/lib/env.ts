/** What the browser needs to know about the chain it talks to; served by the root layout. */
export interface ClientEnv {
  network: string;
  chainId: number;
  factory: `0x${string}`;
  entryPoint: `0x${string}`;
  deploymentBlock: number;
  /** Every chain with a deployment (deployments/, one file per chain), for a chain switcher. */
  chains?: { chainId: number; network: string }[];
  /** Delay bounds of this deployment, seconds. */
  bounds: {
    minRecoveryDelay: number;
    maxRecoveryDelay: number;
    minSecurityPeriod: number;
    minSecurityWindow: number;
    minLockPeriod: number;
  };
}

/** The cookie that keeps the visitor's chosen chain id (read by the server when it renders a page). */
export const CHAIN_COOKIE = "custos_chain";

/** `path` on this origin, for chain `chainId` when given (`?chainId=`; the server's default chain otherwise). */
function sameOrigin(path: string, chainId?: number): string {
  const url = new URL(path, window.location.origin);
  if (chainId !== undefined) url.searchParams.set("chainId", String(chainId));
  return url.href;
}

/** Same-origin proxies (see app/api/rpc and app/api/bundler): no CORS, no chain URL in the bundle. */
export function rpcUrl(chainId?: number): string {
  return sameOrigin("/api/rpc", chainId);
}

export function bundlerUrl(chainId?: number): string {
  return sameOrigin("/api/bundler", chainId);
}

/** The server's log index (/api/logs, the watcher's index of account logs; custos/state/logIndex.ts). */
export function logIndexUrl(): string {
  return sameOrigin("/api/logs");
}
