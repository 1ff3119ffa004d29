import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Address, Hex } from "viem";
import type { DelayBounds } from "./deploy/constants.js";
import { CustosError } from "./errors.js";

/** What `deployments/<network>.json` holds: the one source of addresses for tests, scripts and the dApp. */
export interface CustosDeployment {
  network: string;
  chainId: number;
  entryPoint: Address;
  implementation: Address;
  factory: Address;
  deploymentBlock: number;
  salt: Hex;
  constructorArgs: {
    implementation: { entryPoint: Address; bounds: DelayBounds };
    factory: { implementation: Address };
  };
}

export const DEPLOYMENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../deployments");

export function deploymentPath(network: string): string {
  return path.join(DEPLOYMENTS_DIR, `${network}.json`);
}

/** Reads `deployments/<network>.json`, or returns undefined when the network has no deployment. */
export function readDeployment(network: string): CustosDeployment | undefined {
  const file = deploymentPath(network);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as CustosDeployment;
}

/** Reads `deployments/<network>.json` or throws a sentence that says how to create it. */
export function loadDeployment(network: string): CustosDeployment {
  const deployment = readDeployment(network);
  if (!deployment) {
    throw new CustosError(
      "NO_DEPLOYMENT",
      `no deployment for network "${network}": run \`npm run deploy -- --network ${network}\` first`,
    );
  }
  return deployment;
}

/** Every deployment in `deployments/`, one file per network, sorted by network name. */
export function listDeployments(): CustosDeployment[] {
  if (!existsSync(DEPLOYMENTS_DIR)) return [];
  return readdirSync(DEPLOYMENTS_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(DEPLOYMENTS_DIR, name), "utf8")) as CustosDeployment);
}

/**
 * The deployment for chain `chainId`, or undefined. Two files for one chain (e.g. a local chain under
 * two names) are an ambiguity the caller must settle by network name.
 */
export function readDeploymentForChain(chainId: number): CustosDeployment | undefined {
  const matches = listDeployments().filter((d) => d.chainId === chainId);
  if (matches.length > 1) {
    throw new CustosError(
      "AMBIGUOUS_DEPLOYMENT",
      `several deployments are for chain ${chainId} (${matches.map((d) => d.network).join(", ")}): choose one by network name`,
    );
  }
  return matches[0];
}

/**
 * Writes `deployments/<network>.json`. A file of the same name for another chain is never
 * overwritten: each chain keeps its own file (name the network after the chain).
 */
export function writeDeployment(deployment: CustosDeployment): string {
  mkdirSync(DEPLOYMENTS_DIR, { recursive: true });
  const file = deploymentPath(deployment.network);
  const existing = readDeployment(deployment.network);
  if (existing && existing.chainId !== deployment.chainId) {
    throw new CustosError(
      "DEPLOYMENT_CHAIN_MISMATCH",
      `deployments/${deployment.network}.json is for chain ${existing.chainId}, not ${deployment.chainId}: deploy this chain under its own network name`,
    );
  }
  writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");
  return file;
}
