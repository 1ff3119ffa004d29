/**
 * The log index API of this process: the shared database (CUSTOS_DATABASE_URL), the served chain and
 * the read limit (CUSTOS_LOG_READ_LIMIT pages per minute per client address, default 600; kept in this
 * process's memory, since a page costs one indexed query and no state is at stake).
 */
import { sharedDatabase } from "../db/shared.js";
import { servedDeployment } from "../deployment.js";
import { limiter, pointsFromEnv } from "../http/rateLimit.js";
import { logIndexApi } from "./api.js";

let shared: ReturnType<typeof logIndexApi> | undefined;

export function logIndexApiFromEnv(): ReturnType<typeof logIndexApi> {
  shared ??= logIndexApi({
    db: sharedDatabase,
    defaultChainId: () => servedDeployment()?.chainId,
    reads: limiter(
      "log-reads",
      { points: pointsFromEnv("CUSTOS_LOG_READ_LIMIT", 600), durationSeconds: 60 },
      "Too many log reads from this address.",
    ),
  });
  return shared;
}
