import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

export function writeDeployment(deployment: CustosDeployment): string {
  mkdirSync(DEPLOYMENTS_DIR, { recursive: true });
  const file = deploymentPath(deployment.network);
  writeFileSync(file, JSON.stringify(deployment, null, 2) + "\n");
  return file;
}
