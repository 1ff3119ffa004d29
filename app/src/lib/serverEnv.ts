import { cookies } from "next/headers";
import { servedChains, servedDeployment } from "../../../server/deployment";
import { CHAIN_COOKIE, type ClientEnv } from "./env";

/**
 * What the browser needs to know about the chain it uses, read from deployments/<network>.json at
 * request time (server/deployment.ts): nothing of the build machine is baked into the build, and one
 * build serves any redeployed local chain. `chainId`: one of the served chains (CUSTOS_NETWORKS);
 * the default network (CUSTOS_NETWORK) when omitted or not served.
 */
export function clientEnv(chainId?: number): ClientEnv | undefined {
  const chains = servedChains();
  const d = chains.find((c) => c.chainId === chainId)?.deployment ?? servedDeployment();
  if (!d) return undefined;
  const b = d.constructorArgs.implementation.bounds;
  return {
    network: d.network,
    chainId: d.chainId,
    chains: chains.map((c) => ({ chainId: c.chainId, network: c.network })),
    factory: d.factory,
    entryPoint: d.entryPoint,
    deploymentBlock: d.deploymentBlock,
    bounds: {
      minRecoveryDelay: Number(b.minRecoveryDelay),
      maxRecoveryDelay: Number(b.maxRecoveryDelay),
      minSecurityPeriod: Number(b.minSecurityPeriod),
      minSecurityWindow: Number(b.minSecurityWindow),
      minLockPeriod: Number(b.minLockPeriod),
    },
  };
}

/** clientEnv for the chain the visitor chose (the CHAIN_COOKIE the header's chain selector sets). */
export async function chosenClientEnv(): Promise<ClientEnv | undefined> {
  const chosen = Number((await cookies()).get(CHAIN_COOKIE)?.value);
  return clientEnv(Number.isSafeInteger(chosen) ? chosen : undefined);
}
