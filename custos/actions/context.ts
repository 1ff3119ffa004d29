import { getAddress, isAddressEqual, type Address, type PublicClient } from "viem";
import type { GuardianConfig } from "../config.js";
import { guardianIndex } from "../config.js";
import { AccountStateError, ApprovalError, InvalidInputError, formatDuration } from "../errors.js";
import { custosAccountAbi } from "../generated/abis.js";
import { readAccountStateTuple } from "../approvals/build.js";
import { readCurrentConfig } from "../state/readConfig.js";
import { chainTime } from "../state/chainTime.js";

/** What pre-flight checks need: the account's packed state, configuration and the chain's time. */
export interface AccountContext {
  account: Address;
  chainId: number;
  now: bigint;
  owner: Address;
  lockedUntil: bigint;
  recovering: boolean;
  epoch: bigint;
  nonce: bigint;
  config: GuardianConfig;
  recovery?: { newOwner: Address; executeAfter: bigint; guardianCount: bigint };
}

export interface ContextOptions {
  /** First block to search for the configuration events (the deployment block is enough). */
  fromBlock?: bigint;
  /** Skip reading events when the caller already has the current configuration. */
  config?: GuardianConfig;
}

export async function loadAccountContext(
  client: PublicClient,
  accountAddress: Address,
  options: ContextOptions = {},
): Promise<AccountContext> {
  const account = getAddress(accountAddress);
  const [tuple, chainId, now] = await Promise.all([
    readAccountStateTuple(client, account),
    client.getChainId(),
    chainTime(client),
  ]);
  const [owner, lockedUntil, recovering, epoch, nonce] = tuple;
  const config = options.config ?? (await readCurrentConfig(client, account, { fromBlock: options.fromBlock }));
  let recovery: AccountContext["recovery"];
  if (recovering) {
    const [newOwner, executeAfter, guardianCount] = await client.readContract({
      address: account,
      abi: custosAccountAbi,
      functionName: "pendingRecovery",
    });
    recovery = { newOwner, executeAfter, guardianCount };
  }
  return { account, chainId, now, owner, lockedUntil, recovering, epoch, nonce, config, recovery };
}

export function left(until: bigint, now: bigint): string {
  return formatDuration(until > now ? until - now : 0n);
}

/** The owner key can do nothing while a recovery is pending (S2). */
export function requireNotRecovering(ctx: AccountContext): void {
  if (ctx.recovering) {
    throw new AccountStateError(
      "RECOVERING",
      "a recovery is pending: the owner key is frozen until it is executed or cancelled",
    );
  }
}

/** Whether a guardian lock holds now (S4). */
export function isLocked(ctx: AccountContext): boolean {
  return ctx.lockedUntil > ctx.now;
}

/** The owner key is frozen while a recovery is pending (S2) or a guardian lock holds (S4). */
export function requireNotFrozen(ctx: AccountContext): void {
  requireNotRecovering(ctx);
  if (isLocked(ctx)) {
    throw new AccountStateError(
      "LOCKED",
      `the account is locked by a guardian for another ${left(ctx.lockedUntil, ctx.now)}`,
    );
  }
}

export function requireOwner(ctx: AccountContext, sender: Address): void {
  if (!isAddressEqual(ctx.owner, sender)) {
    throw new AccountStateError("NOT_OWNER", `${getAddress(sender)} is not the owner of ${ctx.account}`);
  }
}

/** The sender's index among the current guardians. */
export function requireGuardian(ctx: AccountContext, sender: Address): number {
  const index = guardianIndex(ctx.config, sender);
  if (index < 0) {
    throw new ApprovalError("NOT_A_GUARDIAN", `signer ${getAddress(sender)} is not a guardian of this account`);
  }
  return index;
}

/** S1: the new owner must not be zero, the account, a guardian or the current owner. */
export function requireValidNewOwner(ctx: AccountContext, newOwner: Address): void {
  const reason = isAddressEqual(newOwner, "0x0000000000000000000000000000000000000000")
    ? "it is the zero address"
    : isAddressEqual(newOwner, ctx.account)
      ? "it is the account itself"
      : isAddressEqual(newOwner, ctx.owner)
        ? "it is already the owner"
        : guardianIndex(ctx.config, newOwner) >= 0
          ? "it is a guardian"
          : undefined;
  if (reason) throw new InvalidInputError(`${getAddress(newOwner)} cannot become the owner: ${reason}`);
}
