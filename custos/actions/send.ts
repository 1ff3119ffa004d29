import { BaseError, decodeErrorResult, isAddressEqual, type Address, type Hex, type PublicClient } from "viem";
import { CustosError } from "../errors.js";
import { custosAccountAbi } from "../generated/abis.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";

/** A plain transaction was rejected by the chain (reverted, or refused before it was sent). */
export class TransactionError extends CustosError {
  override name = "TransactionError";
}

/** The revert data carried somewhere in a failed call's error chain, if any. */
export function revertData(error: unknown): Hex | undefined {
  let data: Hex | undefined;
  if (error instanceof BaseError) {
    error.walk((e) => {
      const d = (e as { data?: unknown }).data;
      if (typeof d === "string" && d.startsWith("0x") && d.length >= 10) data = d as Hex;
      else if (d && typeof d === "object" && typeof (d as { data?: unknown }).data === "string") {
        data = (d as { data: Hex }).data;
      }
      return false;
    });
  }
  return data;
}

/** Turns a failed call into one sentence naming the account's error (e.g. "the account rejected it: AccountLocked"). */
export function toTransactionError(error: unknown): CustosError {
  if (error instanceof CustosError) return error;
  const data = revertData(error);
  let reason: string | undefined;
  if (data) {
    try {
      const decoded = decodeErrorResult({ abi: custosAccountAbi, data });
      const args = (decoded.args ?? []).map((a) => String(a)).join(", ");
      reason = `${decoded.errorName}(${args})`;
    } catch {
      reason = undefined;
    }
  }
  const short =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  if (/fetch failed|ECONNREFUSED|HTTP request failed/i.test(String((error as Error)?.message ?? error))) {
    return new TransactionError("RPC_UNREACHABLE", "the chain's RPC endpoint cannot be reached", { cause: error });
  }
  if (/insufficient funds/i.test(String((error as Error)?.message ?? error))) {
    return new TransactionError("NO_FUNDS", "the sender does not have enough ETH to pay for the transaction", {
      cause: error,
    });
  }
  return new TransactionError(
    "REVERTED",
    reason ? `the transaction would revert: ${reason}` : `the transaction failed: ${short}`,
    { cause: error, details: error instanceof Error ? error.message : undefined },
  );
}

/** Simulates, sends and waits for one call as a plain transaction from `wallet`. */
export async function sendCall(client: PublicClient, wallet: SenderClient, call: Call): Promise<TransactionResult> {
  try {
    await client.call({ account: wallet.account, to: call.to, data: call.data, value: call.value });
    const hash = await wallet.sendTransaction({
      account: wallet.account,
      chain: wallet.chain,
      to: call.to,
      data: call.data,
      value: call.value,
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") {
      throw new TransactionError("REVERTED", `transaction ${hash} reverted`);
    }
    return { hash, receipt };
  } catch (error) {
    throw toTransactionError(error);
  }
}

/**
 * What the owner key sends to make the account perform `calls` as a plain transaction: a direct call
 * for one owner-only function of the account itself, otherwise `execute` / `executeBatch`.
 */
export function ownerTransactionCall(account: Address, calls: readonly Call[]): Call {
  if (calls.length === 1 && isAddressEqual(calls[0]!.to, account) && calls[0]!.value === 0n) return calls[0]!;
  if (calls.length === 1) {
    const [call] = calls as [Call];
    return accountCall(account, "execute", [call.to, call.value, call.data]);
  }
  return accountCall(account, "executeBatch", [calls.map((c) => ({ target: c.to, value: c.value, data: c.data }))]);
}

/** Sends `calls` from the account, authorised by the owner key sending a plain transaction. */
export async function sendAsOwner(
  client: PublicClient,
  wallet: SenderClient,
  account: Address,
  calls: readonly Call[],
): Promise<TransactionResult> {
  return sendCall(client, wallet, ownerTransactionCall(account, calls));
}

/**
 * Turns an owner action's `prepare(client, parameters)` (pre-flight checks, then the call) into a
 * sender: the wallet's key is checked as the owner and sends the call as a plain transaction.
 */
export function ownerSender<P extends { account: Address; sender?: Address }>(
  prepare: (client: PublicClient, parameters: P) => Promise<Call>,
) {
  return async (
    client: PublicClient,
    wallet: SenderClient,
    parameters: Omit<P, "sender">,
  ): Promise<TransactionResult> => {
    const call = await prepare(client, { ...parameters, sender: wallet.account.address } as P);
    return sendAsOwner(client, wallet, parameters.account, [call]);
  };
}
