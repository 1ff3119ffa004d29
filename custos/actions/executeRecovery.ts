import { type Address, type PublicClient } from "viem";
import { AccountStateError } from "../errors.js";
import { left, loadAccountContext, type AccountContext, type ContextOptions } from "./context.js";
import { sendCall } from "./send.js";
import type { Call, SenderClient, TransactionResult } from "./types.js";
import { accountCall } from "./accountCall.js";

export function executeRecoveryCall(account: Address): Call {
  return accountCall(account, "executeRecovery");
}

/** Throws unless a recovery is pending and its delay has elapsed (by the chain's clock). */
export function requireExecutable(ctx: AccountContext): NonNullable<AccountContext["recovery"]> {
  if (!ctx.recovering || !ctx.recovery) {
    throw new AccountStateError("NO_RECOVERY", "no recovery is pending on this account");
  }
  if (ctx.now < ctx.recovery.executeAfter) {
    throw new AccountStateError(
      "TOO_EARLY",
      `recovery not yet executable: ${left(ctx.recovery.executeAfter, ctx.now)} left`,
    );
  }
  return ctx.recovery;
}

/** Anyone may execute a pending recovery once its delay has elapsed. */
export async function prepareExecuteRecovery(
  client: PublicClient,
  parameters: ContextOptions & { account: Address },
): Promise<Call> {
  const ctx = await loadAccountContext(client, parameters.account, parameters);
  requireExecutable(ctx);
  return executeRecoveryCall(ctx.account);
}

export async function executeRecovery(
  client: PublicClient,
  wallet: SenderClient,
  parameters: ContextOptions & { account: Address },
): Promise<TransactionResult> {
  return sendCall(client, wallet, await prepareExecuteRecovery(client, parameters));
}
