import { getAddress, type Address, type Hex, type PublicClient } from "viem";
import { AccountStateError, InvalidInputError } from "../errors.js";
import { loadAccountContext, requireNotFrozen, requireOwner, type ContextOptions } from "./context.js";
import { sendAsOwner } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";

/** The account sends `value` wei to `to`. */
export function sendEthCall(to: Address, value: bigint): Call {
  if (value <= 0n) throw new InvalidInputError("the amount must be more than zero");
  return { to: getAddress(to), value, data: "0x" };
}

/** Pre-flight for owner-signed calls: owner, not frozen, and enough ETH in the account. */
export async function checkExecute(
  client: PublicClient,
  parameters: ContextOptions & { account: Address; calls: readonly Call[]; sender?: Address },
): Promise<void> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  if (parameters.sender) requireOwner(ctx, parameters.sender);
  requireNotFrozen(ctx);
  const total = parameters.calls.reduce((sum, c) => sum + c.value, 0n);
  const balance = await client.getBalance({ address: ctx.account });
  if (balance < total) {
    throw new AccountStateError("NO_FUNDS", `the account holds ${balance} wei, the calls need ${total} wei`);
  }
}

/** Runs `calls` from the account as one plain transaction of the owner key. */
export async function executeBatch(
  client: PublicClient,
  wallet: SenderClient,
  parameters: ContextOptions & { account: Address; calls: readonly Call[] },
): Promise<TransactionResult> {
  await checkExecute(client, { ...parameters, sender: wallet.account.address });
  return sendAsOwner(client, wallet, parameters.account, parameters.calls);
}

export async function execute(
  client: PublicClient,
  wallet: SenderClient,
  parameters: ContextOptions & { account: Address; to: Address; value?: bigint; data?: Hex },
): Promise<TransactionResult> {
  const call: Call = { to: getAddress(parameters.to), value: parameters.value ?? 0n, data: parameters.data ?? "0x" };
  return executeBatch(client, wallet, { ...parameters, calls: [call] });
}

export async function sendEth(
  client: PublicClient,
  wallet: SenderClient,
  parameters: ContextOptions & { account: Address; to: Address; value: bigint },
): Promise<TransactionResult> {
  return executeBatch(client, wallet, { ...parameters, calls: [sendEthCall(parameters.to, parameters.value)] });
}
