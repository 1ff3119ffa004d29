import { type Address, type Hex, type PublicClient } from "viem";
import { hashConfig, type GuardianConfig } from "../config.js";
import { AccountStateError, InvalidInputError } from "../errors.js";
import { custosAccountAbi } from "../generated/abis.js";
import { left, loadAccountContext, requireNotFrozen, requireOwner, type ContextOptions } from "./context.js";
import { ownerSender } from "./send.js";
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
  requireNotFrozen(ctx);
  if (hashConfig(parameters.next) === hashConfig(ctx.config)) {
    throw new InvalidInputError("the new configuration equals the current one");
  }
  return requestConfigChangeCall(ctx.account, ctx.config, parameters.next);
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
  requireNotFrozen(ctx);
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
  return confirmConfigChangeCall(ctx.account, parameters.next);
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
