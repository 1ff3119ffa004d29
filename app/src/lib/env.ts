/** What the browser needs to know about the chain it talks to; served by the root layout. */
export interface ClientEnv {
  network: string;
  chainId: number;
  factory: `0x${string}`;
  entryPoint: `0x${string}`;
  deploymentBlock: number;
  /** Delay bounds of this deployment, seconds. */
  bounds: {
    minRecoveryDelay: number;
    maxRecoveryDelay: number;
    minSecurityPeriod: number;
    minSecurityWindow: number;
    minLockPeriod: number;
  };
}

/** Same-origin proxies (see app/api/rpc and app/api/bundler): no CORS, no chain URL in the bundle. */
export function rpcUrl(): string {
  return new URL("/api/rpc", window.location.origin).href;
}

export function bundlerUrl(): string {
  return new URL("/api/bundler", window.location.origin).href;
}
