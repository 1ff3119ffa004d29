import { createPublicClient, http, type PublicClient } from "viem";
import { readAccountStateTuple } from "../../../custos/approvals/build";
import type { ApprovalExpectation } from "../../../custos/approvals/verify";
import type { ApprovalRequest } from "../../../custos/approvals/typedData";
import { readCurrentConfig } from "../../../custos/state/readConfig";
import { chainNow } from "../../../custos/userop/lifecycle";
import { CHAIN_RPC_URL, clientEnv } from "@/lib/serverEnv";

let client: PublicClient | undefined;

export function serverClient(): PublicClient {
  client ??= createPublicClient({ transport: http(CHAIN_RPC_URL) }) as PublicClient;
  return client;
}

/** What an approval of `request` must match on chain right now (the library's verify does the checking). */
export async function expectationFor(request: ApprovalRequest): Promise<ApprovalExpectation> {
  const c = serverClient();
  const env = clientEnv();
  const [chainId, tuple, config, now] = await Promise.all([
    c.getChainId(),
    readAccountStateTuple(c, request.account),
    readCurrentConfig(c, request.account, { fromBlock: BigInt(env?.deploymentBlock ?? 0) }),
    chainNow(c),
  ]);
  const [owner, , , epoch, nonce] = tuple;
  return {
    chainId,
    account: request.account,
    kind: request.kind,
    newOwner: request.newOwner,
    nonce,
    epoch,
    now,
    config,
    owner: request.kind === "CancelRecovery" ? owner : undefined,
  };
}
