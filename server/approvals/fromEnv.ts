/**
 * The approval API of this process, configured from the environment: the shared database
 * (CUSTOS_DATABASE_URL), the served chains (CUSTOS_RPC_URL, CUSTOS_NETWORK, CUSTOS_NETWORKS) and the write limit
 * (CUSTOS_WRITE_LIMIT per minute per client address, default 60).
 */
import { chainClient } from "../chain.js";
import { postgresPool } from "../db/index.js";
import { sharedDatabase } from "../db/shared.js";
import { servedChain, servedDeployment } from "../deployment.js";
import { limiter, pointsFromEnv } from "../http/rateLimit.js";
import { approvalApi, type ApprovalApi } from "./api.js";

let shared: Promise<ApprovalApi> | undefined;

export function approvalApiFromEnv(): Promise<ApprovalApi> {
  shared ??= sharedDatabase().then((db) => {
    const pool = postgresPool(db);
    return approvalApi({
      db,
      client: chainClient(),
      deployment: () => servedDeployment(),
      otherChain: (chainId) => {
        const chain = servedChain(chainId);
        return chain ? { client: chainClient(chain.rpcUrl), deployment: chain.deployment } : undefined;
      },
      writes: limiter(
        "approval-writes",
        { points: pointsFromEnv("CUSTOS_WRITE_LIMIT", 60), durationSeconds: 60 },
        "Too many writes from this address.",
        pool ? { pool } : undefined,
      ),
    });
  });
  shared.catch(() => (shared = undefined));
  return shared;
}
