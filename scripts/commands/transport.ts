import type { Address, Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import {
  type GuardianConfig,
  InvalidInputError,
  sendAsOwner,
  type Call,
  toCustosSmartAccount,
  createCustosBundlerClient,
  assertIncluded,
  runUserOperation,
  type UserOperationState,
} from "../../custos/index.js";
import { bundlerAvailable, type CliContext } from "./cli.js";

export type Via = "auto" | "userop" | "tx";

export const VIA_OPTION = { via: { type: "string", default: "auto" } } as const;
export const VIA_HELP = `  --via auto|userop|tx  send as a UserOperation paid by the account (through the bundler) or as a
                       plain transaction paid by the owner key (auto: UserOperation when a bundler answers)`;

export function parseVia(value: unknown): Via {
  if (value === "auto" || value === "userop" || value === "tx") return value;
  throw new InvalidInputError(`--via must be auto, userop or tx, not "${String(value)}"`);
}

export async function resolveVia(ctx: CliContext, via: Via): Promise<"userop" | "tx"> {
  if (via !== "auto") {
    if (via === "userop" && !(await bundlerAvailable(ctx.bundlerUrl))) {
      throw new InvalidInputError(`no bundler answers at ${ctx.bundlerUrl} (is \`npm start\` running?)`);
    }
    return via;
  }
  return (await bundlerAvailable(ctx.bundlerUrl)) ? "userop" : "tx";
}

let lastProgress = "";

/** Prints UserOperation progress on stderr, one line per change of state. */
export function progress(state: UserOperationState): void {
  const line =
    state.status === "preparing"
      ? "… preparing the UserOperation"
      : state.status === "awaiting-signature"
        ? "… signing"
        : state.status === "submitted"
          ? `… submitted ${state.userOpHash} (attempt ${state.attempt})`
          : "";
  if (line && line !== lastProgress) console.error(line);
  lastProgress = line;
}

/** Runs owner-authorised `calls` from the account: one UserOperation (batched) or one owner transaction. */
export async function sendOwnerCalls(
  ctx: CliContext,
  owner: PrivateKeyAccount,
  account: Address,
  calls: readonly Call[],
  via: Via,
  options: { config?: GuardianConfig; salt?: bigint } = {},
): Promise<{ transactionHash: Hex; userOpHash?: Hex }> {
  const mode = await resolveVia(ctx, via);
  if (mode === "tx") {
    const { hash } = await sendAsOwner(ctx.client, ctx.wallet(owner), account, calls);
    return { transactionHash: hash };
  }
  const smartAccount = await toCustosSmartAccount({
    client: ctx.client,
    owner,
    factory: ctx.deployment.factory,
    address: account,
    config: options.config,
    salt: options.salt,
  });
  const bundlerClient = createCustosBundlerClient({
    client: ctx.client,
    account: smartAccount,
    bundlerUrl: ctx.bundlerUrl,
  });
  const final = await runUserOperation({ bundlerClient, calls, onState: progress });
  const receipt = assertIncluded(final);
  return { transactionHash: receipt.receipt.transactionHash, userOpHash: receipt.userOpHash };
}
