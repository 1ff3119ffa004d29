import { readDeployment } from "../../../custos/deployments";
import type { ClientEnv } from "./env";

export const CHAIN_RPC_URL = process.env.CUSTOS_RPC_URL ?? "http://127.0.0.1:8545";
export const BUNDLER_RPC_URL = process.env.CUSTOS_BUNDLER_URL ?? "http://127.0.0.1:4337";
export const NETWORK = process.env.CUSTOS_NETWORK ?? "localhost";

/** Reads deployments/<network>.json at request time, so one build serves any redeployed local chain. */
export function clientEnv(): ClientEnv | undefined {
  const d = readDeployment(NETWORK);
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
