/**
 * The deployment and endpoints a server process serves, read at run time from the environment and
 * `deployments/<network>.json` (never from a path fixed when the dApp was built, so a build runs
 * from any folder): CUSTOS_NETWORK (default localhost), CUSTOS_DEPLOYMENTS_DIR (default the nearest
 * `deployments/` folder at or above the working directory), CUSTOS_RPC_URL, CUSTOS_BUNDLER_URL.
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
