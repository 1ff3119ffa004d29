import {
  encodeFunctionData,
  toFunctionSelector,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
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
import { readEntryPointNonce, signUserOperationHash, STUB_SIGNATURE } from "./signing.js";

/** The self-calls the account validates by their selector instead of by the owner's signature. */
export const RECOVERY_SELECTORS: readonly Hex[] = [
  toFunctionSelector("startRecovery(address,uint256,(address[],uint256,uint256,uint256,uint256,uint256),bytes)"),
  toFunctionSelector("executeRecovery()"),
  toFunctionSelector("cancelRecovery(uint256,(address[],uint256,uint256,uint256,uint256,uint256),bytes)"),
];

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
      const [call] = calls;
      const selector = call?.data?.slice(0, 10).toLowerCase() as Hex | undefined;
      if (
        calls.length !== 1 ||
        call!.to.toLowerCase() !== account.toLowerCase() ||
        (call!.value ?? 0n) !== 0n ||
        !selector ||
        !RECOVERY_SELECTORS.includes(selector)
      ) {
        throw new CustosError(
          "NOT_A_RECOVERY_CALL",
          "a recovery UserOperation can only carry one startRecovery, executeRecovery or cancelRecovery call to the account itself",
        );
      }
      return call!.data!;
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

type SendOptions = Omit<RunOptions, "bundlerClient" | "calls" | "account">;

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
  return runUserOperation({ ...options, bundlerClient, account, calls: [{ to: account.address, data }] });
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
