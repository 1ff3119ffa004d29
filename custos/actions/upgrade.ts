import { type Address, type Hex, type PublicClient } from "viem";
import { InvalidInputError } from "../errors.js";
import { loadAccountContext, requireNotFrozen, requireOwner, type ContextOptions } from "./context.js";
import { ownerSender } from "./send.js";
import type { Call } from "./types.js";
import { accountCall } from "./accountCall.js";

export function upgradeCall(account: Address, implementation: Address, data: Hex = "0x"): Call {
  return accountCall(account, "upgradeToAndCall", [implementation, data]);
}

/** UUPS upgrade by the owner, never while locked or recovering (S10). */
export async function prepareUpgrade(
  client: PublicClient,
  parameters: ContextOptions & { account: Address; implementation: Address; data?: Hex; sender?: Address },
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  if (parameters.sender) requireOwner(ctx, parameters.sender);
  requireNotFrozen(ctx);
  const code = await client.getCode({ address: parameters.implementation });
  if (!code || code === "0x") {
    throw new InvalidInputError(`there is no contract at ${parameters.implementation} to upgrade to`);
  }
  return upgradeCall(ctx.account, parameters.implementation, parameters.data);
}

/** Upgrades the account as a plain transaction from the owner key. */
export const upgrade = ownerSender(prepareUpgrade);
