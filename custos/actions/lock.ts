import { type Address, type PublicClient } from "viem";
import type { GuardianConfig } from "../config.js";
import { AccountStateError } from "../errors.js";
import { loadAccountContext, requireGuardian, type ContextOptions } from "./context.js";
import { sendCall } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";

export function lockCall(account: Address, config: GuardianConfig, index: number): Call {
  return accountCall(account, "lock", [config, BigInt(index)]);
}

export function unlockCall(account: Address, config: GuardianConfig, index: number): Call {
  return accountCall(account, "unlock", [config, BigInt(index)]);
}

export interface GuardianActionParameters extends ContextOptions {
  account: Address;
  /** The guardian sending the transaction. */
  guardian: Address;
}

/** Any single guardian locks the account for the configured lock period (S4). */
export async function prepareLock(client: PublicClient, parameters: GuardianActionParameters): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  const index = requireGuardian(ctx, parameters.guardian);
  return lockCall(ctx.account, ctx.config, index);
}

/** Any single guardian lifts a lock that still holds. */
export async function prepareUnlock(client: PublicClient, parameters: GuardianActionParameters): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  const index = requireGuardian(ctx, parameters.guardian);
  if (ctx.lockedUntil <= ctx.now) throw new AccountStateError("NOT_LOCKED", "the account is not locked");
  return unlockCall(ctx.account, ctx.config, index);
}

export async function lock(
  client: PublicClient,
  wallet: SenderClient,
  parameters: Omit<GuardianActionParameters, "guardian">,
): Promise<TransactionResult> {
  return sendCall(client, wallet, await prepareLock(client, { ...parameters, guardian: wallet.account.address }));
}

export async function unlock(
  client: PublicClient,
  wallet: SenderClient,
  parameters: Omit<GuardianActionParameters, "guardian">,
): Promise<TransactionResult> {
  return sendCall(client, wallet, await prepareUnlock(client, { ...parameters, guardian: wallet.account.address }));
}
