/** The log index API of this process: the shared database (CUSTOS_DATABASE_URL) and the served chain. */
import { sharedDatabase } from "../db/shared.js";
import { servedDeployment } from "../deployment.js";
import { logIndexApi } from "./api.js";

let shared: ReturnType<typeof logIndexApi> | undefined;

export function logIndexApiFromEnv(): ReturnType<typeof logIndexApi> {
  shared ??= logIndexApi({ db: sharedDatabase, defaultChainId: () => servedDeployment()?.chainId });
  return shared;
}
