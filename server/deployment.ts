/**
 * The deployment and endpoints a server process serves, read at run time from the environment and
 * `deployments/<network>.json` (never from a path fixed when the dApp was built, so a build runs
 * from any folder): CUSTOS_NETWORK (default localhost), CUSTOS_DEPLOYMENTS_DIR (default the nearest
 * `deployments/` folder at or above the working directory), CUSTOS_RPC_URL, CUSTOS_BUNDLER_URL.
 *
 * Several chains (R3): CUSTOS_NETWORKS="sepolia,base-sepolia" (as for `npm run deploy`) adds networks
 * beside CUSTOS_NETWORK, each served when it has a deployment file and an RPC URL of its own,
 * CUSTOS_RPC_URL_<NAME> (and CUSTOS_BUNDLER_URL_<NAME> for UserOperations; NAME upper-cased, other
 * characters as "_"). The default network may use the plain CUSTOS_RPC_URL / CUSTOS_BUNDLER_URL.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { CustosDeployment } from "../custos/node.js";

export interface ServedEndpoints {
  network: string;
  rpcUrl: string;
  bundlerUrl: string;
}

export function servedEndpoints(env: NodeJS.ProcessEnv = process.env): ServedEndpoints {
  return {
    network: env.CUSTOS_NETWORK ?? "localhost",
    rpcUrl: env.CUSTOS_RPC_URL ?? "http://127.0.0.1:8545",
    bundlerUrl: env.CUSTOS_BUNDLER_URL ?? "http://127.0.0.1:4337",
  };
}

/** CUSTOS_DEPLOYMENTS_DIR, else the first `deployments/` folder found walking up from the working directory. */
export function deploymentsDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (env.CUSTOS_DEPLOYMENTS_DIR) return path.resolve(env.CUSTOS_DEPLOYMENTS_DIR);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "deployments");
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** deployments/<network>.json of the served network, read on every call (a redeployed local chain is picked up). */
export function servedDeployment(env: NodeJS.ProcessEnv = process.env): CustosDeployment | undefined {
  const dir = deploymentsDir(env);
  if (!dir) return undefined;
  const file = path.join(dir, `${servedEndpoints(env).network}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as CustosDeployment;
}

/** One chain this server serves: its deployment and the upstreams its proxies forward to. */
export interface ServedChain {
  network: string;
  chainId: number;
  rpcUrl: string;
  /** Undefined when no bundler is configured for this network (the bundler proxy then refuses it). */
  bundlerUrl?: string;
  deployment: CustosDeployment;
}

/** CUSTOS_<NAME>_<NETWORK>, e.g. CUSTOS_RPC_URL_BASE_SEPOLIA (the CLI and hardhat.config.ts read the same names). */
export function perNetworkVariable(name: string, network: string): string {
  return `${name}_${network.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

function readDeploymentIn(dir: string, network: string): CustosDeployment | undefined {
  const file = path.join(dir, `${network}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as CustosDeployment) : undefined;
}

/**
 * Every chain served, the default network (CUSTOS_NETWORK) first, then CUSTOS_NETWORKS in order; a
 * network without a deployment file or an RPC URL is left out, and so is a second network for a chain
 * id already served. Read on every call, like servedDeployment.
 */
export function servedChains(env: NodeJS.ProcessEnv = process.env): ServedChain[] {
  const dir = deploymentsDir(env);
  if (!dir) return [];
  const main = servedEndpoints(env);
  const names = [
    main.network,
    ...(env.CUSTOS_NETWORKS ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean),
  ];
  const chains: ServedChain[] = [];
  for (const network of new Set(names)) {
    const deployment = readDeploymentIn(dir, network);
    if (!deployment || chains.some((c) => c.chainId === deployment.chainId)) continue;
    const isMain = network === main.network;
    const rpcUrl = env[perNetworkVariable("CUSTOS_RPC_URL", network)] ?? (isMain ? main.rpcUrl : undefined);
    const bundlerUrl = env[perNetworkVariable("CUSTOS_BUNDLER_URL", network)] ?? (isMain ? main.bundlerUrl : undefined);
    if (!rpcUrl) continue;
    chains.push({ network, chainId: deployment.chainId, rpcUrl, bundlerUrl, deployment });
  }
  return chains;
}

/** The served chain with id `chainId`, or undefined. */
export function servedChain(chainId: number, env: NodeJS.ProcessEnv = process.env): ServedChain | undefined {
  return servedChains(env).find((c) => c.chainId === chainId);
}
