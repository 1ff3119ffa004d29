import { servedDeployment } from "../../../server/deployment";
import type { ClientEnv } from "./env";

/**
 * What the browser needs to know about the served chain, read from deployments/<CUSTOS_NETWORK>.json
 * at request time (server/deployment.ts): nothing of the build machine is baked into the build, and
 * one build serves any redeployed local chain.
 */
export function clientEnv(): ClientEnv | undefined {
  const d = servedDeployment();
  if (!d) return undefined;
  const b = d.constructorArgs.implementation.bounds;
  return {
    network: d.network,
    chainId: d.chainId,
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
