import { encodeFunctionData, type Address, type Hex, type LocalAccount, type PublicClient } from "viem";
import {
  entryPoint08Abi,
  entryPoint08Address,
  toSmartAccount,
  type BundlerClient,
  type SmartAccount,
  type SmartAccountImplementation,
} from "viem/account-abstraction";
import type { GuardianConfig } from "../config.js";
import { custosAccountAbi } from "../generated/abis.js";
import { CustosError, formatDuration } from "../errors.js";
import { UserOperationError } from "../userop/errors.js";
import { chainNow, runUserOperation, type FinalUserOperationState, type RunOptions } from "../userop/lifecycle.js";
import { isRecoveryCall } from "./selectors.js";
import { readEntryPointNonce, signUserOperationHash, STUB_SIGNATURE } from "./signing.js";

export { RECOVERY_SELECTORS } from "./selectors.js";
export { fitToGasCaps, readGasCaps, type GuardianDrivenGasCaps } from "./gasCaps.js";

export type RecoverySmartAccountImplementation = SmartAccountImplementation<
  typeof entryPoint08Abi,
  "0.8",
  { signer: LocalAccount }
>;
export type RecoverySmartAccount = SmartAccount<RecoverySmartAccountImplementation>;

/**
 * The account seen by whoever drives a recovery: `signer` is the proposed (or pending) new owner for
 * `startRecovery`/`executeRecovery`, or the current owner for `cancelRecovery`. Its UserOperations'
 * callData is the raw self-call (not wrapped in `execute`), which is what the account validates; the
 * account pays the gas, so neither the guardians nor the new owner need ETH (S8).
 */
export async function toRecoverySmartAccount({
  client,
  account,
  signer,
}: {
  client: PublicClient;
  account: Address;
  signer: LocalAccount;
}): Promise<RecoverySmartAccount> {
  const smartAccount = await toSmartAccount<RecoverySmartAccountImplementation>({
    client,
    entryPoint: { abi: entryPoint08Abi, address: entryPoint08Address, version: "0.8" },
    extend: { signer },
    async getAddress() {
      return account;
    },
    async getFactoryArgs() {
      throw new CustosError("NOT_DEPLOYED", `account ${account} is not deployed, so there is nothing to recover`);
    },
    async encodeCalls(calls) {
      if (!isRecoveryCall(account, calls)) {
        throw new CustosError(
          "NOT_A_RECOVERY_CALL",
          "a recovery UserOperation can only carry one startRecovery, executeRecovery or cancelRecovery call to the account itself",
        );
      }
      return calls[0]!.data!;
    },
    async decodeCalls(data) {
      return [{ to: account, value: 0n, data }];
    },
    async getNonce(args) {
      return readEntryPointNonce(client, account, args?.key);
    },
    async getStubSignature() {
      return STUB_SIGNATURE;
    },
    async signMessage() {
      throw new CustosError("UNSUPPORTED", "a recovery signer cannot sign messages for the account");
    },
    async signTypedData() {
      throw new CustosError("UNSUPPORTED", "a recovery signer cannot sign typed data for the account");
    },
    async signUserOperation(userOperation) {
      return signUserOperationHash(signer, client, { ...userOperation, sender: account });
    },
  });
  smartAccount.getNonce = (args) => readEntryPointNonce(client, account, args?.key);
  return smartAccount;
}

type SendOptions = Omit<RunOptions, "bundlerClient" | "calls" | "account" | "fitOperation">;

function recoveryAccountOf(bundlerClient: BundlerClient): SmartAccount {
  const account = bundlerClient.account as SmartAccount | undefined;
  if (!account)
    throw new CustosError("NO_ACCOUNT", "the bundler client needs a recovery account (toRecoverySmartAccount)");
  return account;
}

/** Starts a recovery with a UserOperation signed by the proposed new owner, carrying the guardians' approvals. */
export async function sendStartRecoveryUserOp(
  bundlerClient: BundlerClient,
  args: { newOwner: Address; deadline: bigint; config: GuardianConfig; signatures: Hex },
  options: SendOptions = {},
): Promise<FinalUserOperationState> {
  const account = recoveryAccountOf(bundlerClient);
  const data = encodeFunctionData({
    abi: custosAccountAbi,
    functionName: "startRecovery",
    args: [args.newOwner, args.deadline, args.config, args.signatures],
  });
  return runUserOperation({ ...options, bundlerClient, account, calls: [{ to: account.address, data }] });
}

/**
 * Executes the pending recovery with a UserOperation signed by the pending new owner. Checks first
 * that a recovery is pending and its delay has passed (by chain time), and says how long is left.
 */
export async function sendExecuteRecoveryUserOp(
  bundlerClient: BundlerClient,
  options: SendOptions = {},
): Promise<FinalUserOperationState> {
  const account = recoveryAccountOf(bundlerClient);
  const client = bundlerClient.client as PublicClient;
  const [newOwner, executeAfter] = await client.readContract({
    address: account.address,
    abi: custosAccountAbi,
    functionName: "pendingRecovery",
  });
  if (newOwner === "0x0000000000000000000000000000000000000000") {
    throw new UserOperationError(
      "NoRecoveryPending",
      "no recovery is pending on this account",
      "start a recovery first",
    );
  }
  const now = await chainNow(client);
  if (now < executeAfter) {
    throw new UserOperationError(
      "RecoveryNotExecutable",
      `recovery not yet executable: ${formatDuration(executeAfter - now)} left`,
      "wait for the recovery delay to pass, then execute it",
    );
  }
  const data = encodeFunctionData({ abi: custosAccountAbi, functionName: "executeRecovery" });
  // A bundler simulates at the newest block it has seen, which can trail the chain by a moment right
  // after the delay passes: "not due yet" (AA22) is retried for a few seconds before it is reported.
  for (let attempt = 1; ; attempt++) {
    try {
      return await runUserOperation({
        ...options,
        bundlerClient,
        account,
        calls: [{ to: account.address, data }],
      });
    } catch (error) {
      const notDue = error instanceof UserOperationError && error.code === "AA22";
      if (!notDue || attempt >= EXECUTE_NOT_DUE_RETRIES) throw explainNotDue(error);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

const EXECUTE_NOT_DUE_RETRIES = 5;

/** A persistent "not due yet" after the delay passed on-chain: the bundler's clock is behind the chain's. */
function explainNotDue(error: unknown): unknown {
  if (!(error instanceof UserOperationError) || error.code !== "AA22") return error;
  return new UserOperationError(
    "BUNDLER_CLOCK_BEHIND",
    "the recovery delay has passed on-chain, but the bundler's clock has not reached it yet",
    "retry once real time catches up with the chain (the chain's clock was moved forward)",
    { details: error.details, cause: error, userOpHash: error.userOpHash },
  );
}

/** Cancels the pending recovery with a UserOperation signed by the current owner, carrying the quorum's signatures. */
export async function sendCancelRecoveryUserOp(
  bundlerClient: BundlerClient,
  args: { deadline: bigint; config: GuardianConfig; signatures: Hex },
  options: SendOptions = {},
): Promise<FinalUserOperationState> {
  const account = recoveryAccountOf(bundlerClient);
  const data = encodeFunctionData({
    abi: custosAccountAbi,
    functionName: "cancelRecovery",
    args: [args.deadline, args.config, args.signatures],
  });
  return runUserOperation({ ...options, bundlerClient, account, calls: [{ to: account.address, data }] });
}
