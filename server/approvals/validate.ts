/**
 * What the approval API accepts as a request, checked against the chain before anything is stored:
 * the served chain, a deployed Custos account, a deadline in the future and at most 30 days ahead
 * (S6), and the account's current recovery nonce and configuration epoch (a request for any other
 * nonce or epoch could never collect a valid approval). Nonces are uint256 by the portable format.
 */
import type { PublicClient } from "viem";
import {
  chainTime,
  readAccountStateTuple,
  readCurrentConfig,
  type ApprovalExpectation,
  type ApprovalRequest,
} from "../../custos/index.js";
import { HttpError } from "../http/errors.js";

export const MAX_DEADLINE_AHEAD_SECONDS = 30n * 24n * 3600n;
/** Clock difference tolerated between the requester's clock and the chain's. */
const CLOCK_SLACK_SECONDS = 300n;
const UINT256_MAX = (1n << 256n) - 1n;

export async function validateRequest(client: PublicClient, request: ApprovalRequest, servedChainId: number) {
  if (request.chainId !== servedChainId) {
    throw new HttpError(
      400,
      "WRONG_CHAIN",
      `This request is for chain ${request.chainId}; this server serves chain ${servedChainId}.`,
    );
  }
  if (request.nonce > UINT256_MAX || request.epoch > UINT256_MAX || request.deadline > UINT256_MAX) {
    throw new HttpError(400, "OUT_OF_RANGE", "The nonce, epoch and deadline must fit in 256 bits.");
  }
  const [state, now] = await Promise.all([readAccountStateTuple(client, request.account), chainTime(client)]);
  const [, , , epoch, nonce] = state;
  if (request.deadline <= now) {
    throw new HttpError(400, "EXPIRED", "This request's deadline has already passed; build a new request.");
  }
  if (request.deadline > now + MAX_DEADLINE_AHEAD_SECONDS + CLOCK_SLACK_SECONDS) {
    throw new HttpError(400, "DEADLINE_TOO_FAR", "A request's deadline may be at most 30 days ahead.");
  }
  if (request.nonce !== nonce) {
    throw new HttpError(
      400,
      "STALE_NONCE",
      `This request is for recovery nonce ${request.nonce}; the account is at nonce ${nonce}. Build a new request.`,
    );
  }
  if (request.epoch !== epoch) {
    throw new HttpError(
      400,
      "STALE_EPOCH",
      `This request is for configuration epoch ${request.epoch}; the account is at epoch ${epoch}. Build a new request.`,
    );
  }
}

/** What an approval of `request` must match on chain right now (the library's verifyApproval does the checking). */
export async function expectationFor(
  client: PublicClient,
  request: ApprovalRequest,
  deploymentBlock: number,
): Promise<ApprovalExpectation> {
  const [chainId, tuple, config, now] = await Promise.all([
    client.getChainId(),
    readAccountStateTuple(client, request.account),
    readCurrentConfig(client, request.account, { fromBlock: BigInt(deploymentBlock) }),
    chainTime(client),
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
