import { decodeErrorResult, type Address, type Hex, type PublicClient } from "viem";
import { hashConfig, type GuardianConfig } from "../config.js";
import { AccountStateError, InvalidInputError } from "../errors.js";
import { custosAccountAbi } from "../generated/abis.js";
import {
  isLocked,
  left,
  loadAccountContext,
  requireNotFrozen,
  requireNotRecovering,
  requireOwner,
  type AccountContext,
  type ContextOptions,
} from "./context.js";
import { ownerSender, revertData } from "./send.js";
import type { Call } from "./types.js";
import { accountCall } from "./accountCall.js";

export function requestConfigChangeCall(account: Address, current: GuardianConfig, next: GuardianConfig): Call {
  return accountCall(account, "requestConfigChange", [current, next]);
}

export function confirmConfigChangeCall(account: Address, next: GuardianConfig): Call {
  return accountCall(account, "confirmConfigChange", [next]);
}

export function cancelConfigChangeCall(account: Address, nextConfigHash: Hex): Call {
  return accountCall(account, "cancelConfigChange", [nextConfigHash]);
}

export interface ConfigChangeParameters extends ContextOptions {
  account: Address;
  /** When given, checked to be the owner. */
  sender?: Address;
}

/** Pre-flight checks, then the call requesting `next` (compute it with addGuardian/removeGuardian/...). */
export async function prepareRequestConfigChange(
  client: PublicClient,
  parameters: ConfigChangeParameters & { next: GuardianConfig },
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  if (parameters.sender) requireOwner(ctx, parameters.sender);
  requireNotRecovering(ctx);
  if (hashConfig(parameters.next) === hashConfig(ctx.config)) {
    throw new InvalidInputError("the new configuration equals the current one");
  }
  const call = requestConfigChangeCall(ctx.account, ctx.config, parameters.next);
  await requireAllowedWhileLocked(client, ctx, call);
  return call;
}

/**
 * S4: while a guardian lock holds, the owner may only request and confirm a change that removes the
 * guardians who locked the account. The account decides which changes those are; the call is
 * simulated from the owner key, and a refusal becomes a sentence.
 */
async function requireAllowedWhileLocked(client: PublicClient, ctx: AccountContext, call: Call): Promise<void> {
  if (!isLocked(ctx)) return;
  try {
    await client.call({ account: ctx.owner, to: call.to, data: call.data });
  } catch (error) {
    const data = revertData(error);
    let name: string | undefined;
    try {
      name = data ? decodeErrorResult({ abi: custosAccountAbi, data }).errorName : undefined;
    } catch {
      name = undefined; // not one of the account's errors: the chain will say more when it is sent
    }
    if (name === "OnlyLockerRemovalWhileLocked") {
      throw new AccountStateError(
        "LOCKED",
        `the account is locked by a guardian for another ${left(ctx.lockedUntil, ctx.now)}: until then the only change allowed is removing the guardians who locked it`,
      );
    }
    if (name === "AccountLocked") {
      throw new AccountStateError(
        "LOCKED",
        `the account is locked by a guardian for another ${left(ctx.lockedUntil, ctx.now)}`,
      );
    }
  }
}

async function pendingWindow(client: PublicClient, account: Address, nextHash: Hex) {
  const [readyAt, expiresAt] = await client.readContract({
    address: account,
    abi: custosAccountAbi,
    functionName: "pendingConfigChange",
    args: [nextHash],
  });
  if (readyAt === 0n) {
    throw new AccountStateError("NO_PENDING_CHANGE", `no configuration change ${nextHash} is pending`);
  }
  return { readyAt, expiresAt };
}

export async function prepareConfirmConfigChange(
  client: PublicClient,
  parameters: ConfigChangeParameters & { next: GuardianConfig },
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  if (parameters.sender) requireOwner(ctx, parameters.sender);
  requireNotRecovering(ctx);
  const { readyAt, expiresAt } = await pendingWindow(client, ctx.account, hashConfig(parameters.next));
  if (ctx.now < readyAt) {
    throw new AccountStateError(
      "TOO_EARLY",
      `configuration change not yet confirmable: ${left(readyAt, ctx.now)} left`,
    );
  }
  if (ctx.now > expiresAt) {
    throw new AccountStateError(
      "EXPIRED",
      "the configuration change's confirmation window has passed: request it again",
    );
  }
  const call = confirmConfigChangeCall(ctx.account, parameters.next);
  await requireAllowedWhileLocked(client, ctx, call);
  return call;
}

export async function prepareCancelConfigChange(
  client: PublicClient,
  parameters: ConfigChangeParameters & { nextConfigHash: Hex },
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  if (parameters.sender) requireOwner(ctx, parameters.sender);
  requireNotFrozen(ctx);
  await pendingWindow(client, ctx.account, parameters.nextConfigHash);
  return cancelConfigChangeCall(ctx.account, parameters.nextConfigHash);
}

/** Requests a configuration change as a plain transaction from the owner key. */
export const requestConfigChange = ownerSender(prepareRequestConfigChange);

/** Confirms a pending configuration change as a plain transaction from the owner key. */
export const confirmConfigChange = ownerSender(prepareConfirmConfigChange);

/** Cancels a pending configuration change as a plain transaction from the owner key. */
export const cancelConfigChange = ownerSender(prepareCancelConfigChange);
