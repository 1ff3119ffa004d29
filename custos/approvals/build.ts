import { getAddress, type Address, type PublicClient } from "viem";
import { custosAccountAbi } from "../generated/abis.js";
import { AccountStateError, InvalidInputError } from "../errors.js";
import { chainTime } from "../state/chainTime.js";
import type { ApprovalKind, ApprovalRequest } from "./typedData.js";

/** Default lifetime of an approval request: seven days. */
export const DEFAULT_APPROVAL_VALIDITY = 7n * 24n * 3600n;
/** S6: clients never ask guardians for an approval valid more than 30 days ahead (nor with deadline 0). */
export const MAX_APPROVAL_VALIDITY = 30n * 24n * 3600n;

/** Refuses a deadline that is 0, already past, or more than 30 days ahead of `now`. */
export function requireReasonableDeadline(deadline: bigint, now: bigint): void {
  if (deadline === 0n) throw new InvalidInputError("an approval deadline of 0 is invalid");
  if (deadline <= now) throw new InvalidInputError("the approval deadline has already passed");
  if (deadline > now + MAX_APPROVAL_VALIDITY) {
    throw new InvalidInputError("an approval may be valid for at most 30 days; choose an earlier deadline");
  }
}

export interface BuildApprovalRequestParameters {
  account: Address;
  kind: ApprovalKind;
  /** Recovery/Rotation: the proposed owner. Ignored for CancelRecovery (the pending recovery's new owner). */
  newOwner?: Address;
  /** Unix seconds; defaults to the chain's time plus `validFor`. */
  deadline?: bigint;
  /** Seconds the request stays valid when no deadline is given (default seven days). */
  validFor?: bigint;
}

/**
 * Builds the request guardians sign, bound to the chain, the account and its current recovery nonce
 * and configuration epoch (read from `accountState()`), so it dies with any change (rule S6).
 */
export async function buildApprovalRequest(
  client: PublicClient,
  parameters: BuildApprovalRequestParameters,
): Promise<ApprovalRequest> {
  const account = getAddress(parameters.account);
  const [chainId, state, now] = await Promise.all([
    client.getChainId(),
    readAccountStateTuple(client, account),
    chainTime(client),
  ]);
  const [, , recovering, epoch, nonce] = state;
  let newOwner: Address;
  if (parameters.kind === "CancelRecovery") {
    if (!recovering) throw new AccountStateError("NO_RECOVERY", "no recovery is pending on this account");
    const [pendingOwner] = await client.readContract({
      address: account,
      abi: custosAccountAbi,
      functionName: "pendingRecovery",
    });
    newOwner = pendingOwner;
  } else {
    if (!parameters.newOwner) throw new InvalidInputError("the new owner address is missing");
    newOwner = getAddress(parameters.newOwner);
  }
  const deadline = parameters.deadline ?? now + (parameters.validFor ?? DEFAULT_APPROVAL_VALIDITY);
  requireReasonableDeadline(deadline, now);
  return { kind: parameters.kind, chainId, account, newOwner, nonce, epoch, deadline };
}

/** `accountState()` or a sentence saying the address holds no Custos account. */
export async function readAccountStateTuple(client: PublicClient, account: Address) {
  const code = await client.getCode({ address: account });
  if (!code || code === "0x") {
    throw new AccountStateError("NOT_DEPLOYED", `there is no Custos account at ${account} on this chain`);
  }
  try {
    return await client.readContract({ address: account, abi: custosAccountAbi, functionName: "accountState" });
  } catch (error) {
    throw new AccountStateError("NOT_CUSTOS", `${account} is not a Custos account`, { cause: error });
  }
}
