import type { Address, Hex, PublicClient } from "viem";
import {
  entryPoint08Address,
  formatUserOperationRequest,
  getUserOperationHash,
  prepareUserOperation,
  type SmartAccount,
  type UserOperation,
  type UserOperationReceipt,
} from "viem/account-abstraction";
import { custosAccountAbi, entryPointAbi } from "../generated/abis.js";
import { fitToGasCaps, readGasCaps } from "../smartAccount/gasCaps.js";
import { isLockExemptCall, isRecoveryCall } from "../smartAccount/selectors.js";
import { refineWithAccountState, revertedOperationError, toUserOperationError, UserOperationError } from "./errors.js";
import { pimlicoUserOperationStatus, type PimlicoRpcSchema, type VendorBundlerClient } from "./vendorMethods.js";

/** Any ERC-4337 bundler client; createCustosBundlerClient makes one that also types the vendor methods. */
type LifecycleBundlerClient = VendorBundlerClient;

/**
 * The one state machine of every UserOperation Custos sends:
 * preparing → awaiting-signature → submitted → included | reverted | dropped.
 * Once submitted, the userOpHash is always known (computed locally before sending), so a timeout never
 * loses it: the operation can be watched again later with `watchUserOperation`.
 */
export type UserOperationState =
  | { status: "preparing" }
  | { status: "awaiting-signature"; userOperation: UserOperation<"0.8"> }
  | {
      status: "submitted";
      userOpHash: Hex;
      /** Every hash sent for this operation (a fee-bumped replacement has a new hash). */
      hashes: Hex[];
      attempt: number;
      /** What the bundler says: pimlico_getUserOperationStatus when it offers it, else "submitted" once eth_getUserOperationByHash names a transaction. */
      bundlerStatus?: BundlerStatus["status"];
      transactionHash?: Hex;
    }
  | { status: "included"; userOpHash: Hex; receipt: UserOperationReceipt }
  | { status: "reverted"; userOpHash: Hex; receipt: UserOperationReceipt; error: UserOperationError }
  | { status: "dropped"; userOpHash: Hex; error: UserOperationError };

export type FinalUserOperationState = Extract<UserOperationState, { status: "included" | "reverted" | "dropped" }>;

export type UserOperationStatus = UserOperationState["status"];

export interface WatchOptions {
  onState?: (state: UserOperationState) => void;
  /** Give up waiting (the operation may still land) after this long. Default 60 s. */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** How long the bundler may not know a submitted hash before it counts as dropped. Default 5 s. */
  notFoundGraceMs?: number;
}

export interface RunOptions extends WatchOptions {
  bundlerClient: LifecycleBundlerClient;
  /** Defaults to the bundler client's account. */
  account?: SmartAccount;
  calls: readonly { to: `0x${string}`; value?: bigint; data?: Hex }[];
  /** Fixed gas limits or fees (skips estimation of what is given). */
  overrides?: Partial<
    Pick<
      UserOperation<"0.8">,
      "callGasLimit" | "verificationGasLimit" | "preVerificationGas" | "maxFeePerGas" | "maxPriorityFeePerGas" | "nonce"
    >
  >;
  /** An operation the bundler has not bundled after this long is replaced with higher fees. Default 15 s. */
  stuckAfterMs?: number;
  maxResubmits?: number;
  /** Fee multiplier of a replacement, in percent (alto requires at least 110). Default 125. */
  feeBumpPercent?: bigint;
  /**
   * Adjusts the prepared operation (and every fee-bumped replacement) before it is signed; throws a
   * typed error when it cannot fit. Default: recovery steps and lock-exempt self-calls are fitted to the
   * account's gas caps (S13, S4), anything else is left as prepared.
   */
  fitOperation?: (userOperation: UserOperation<"0.8">) => UserOperation<"0.8">;
}

type BundlerStatus = Extract<PimlicoRpcSchema[number], { Method: "pimlico_getUserOperationStatus" }>["ReturnType"];

/**
 * Added to the bundler's verificationGasLimit estimate. Bundlers estimate with a deposit override,
 * so the account's prefund payment (a value call to the EntryPoint that writes its deposit, about
 * 30k gas) is not measured; for cheap validations such as `executeRecovery` alto's 30 % margin does not
 * cover it and the operation fails on-chain with AA26. Unused verification gas is not charged.
 */
export const VERIFICATION_GAS_MARGIN = 35_000n;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The latest block's time: what a bundler's simulation sees, the reference for "not valid yet" of a
 * UserOperation. (Countdowns for people use custos/state/chainTime, the time the next block will have;
 * on the local stack, which mines a block every second, the two agree.)
 */
export async function chainNow(client: PublicClient): Promise<bigint> {
  return (await client.getBlock({ blockTag: "latest" })).timestamp;
}

function publicClientOf(bundlerClient: LifecycleBundlerClient): PublicClient {
  const client = bundlerClient.client as PublicClient | undefined;
  if (!client)
    throw new UserOperationError(
      "USEROP_SETUP",
      "the bundler client has no chain client",
      "create it with createCustosBundlerClient",
    );
  return client;
}

/** The typed error of `error`, sharpened with the account's lock/recovery state when the bundler was vague. */
async function explain(
  error: unknown,
  client: PublicClient,
  sender: Hex,
  recoveryCall: boolean,
  userOpHash?: Hex,
): Promise<UserOperationError> {
  const now = await chainNow(client);
  const typed = toUserOperationError(error, { now, userOpHash });
  try {
    const [, lockedUntil, recovering] = await client.readContract({
      address: sender,
      abi: custosAccountAbi,
      functionName: "accountState",
    });
    return refineWithAccountState(typed, { lockedUntil, recovering }, { now, recoveryCall });
  } catch {
    return typed; // not deployed yet, or not a Custos account
  }
}

/**
 * Where the bundler has the operation, standard method first: eth_getUserOperationByHash names the
 * transaction once it is bundled; before that, pimlico_getUserOperationStatus (when the bundler
 * offers it) tells queued from rejected. Undefined when neither says anything.
 */
async function bundlerStatus(bundlerClient: LifecycleBundlerClient, hash: Hex): Promise<BundlerStatus | undefined> {
  try {
    const found = await bundlerClient.getUserOperation({ hash });
    if (found.transactionHash) return { status: "submitted", transactionHash: found.transactionHash };
  } catch {
    // not known (many bundlers answer null until the operation is bundled), or the call failed
  }
  return pimlicoUserOperationStatus(bundlerClient, hash);
}

/** The EntryPoint's next nonce of `sender` in the key of `nonce` (its upper 192 bits), key included. */
async function nextNonce(client: PublicClient, sender: Address, nonce: bigint): Promise<bigint | undefined> {
  try {
    return await client.readContract({
      address: entryPoint08Address,
      abi: entryPointAbi,
      functionName: "getNonce",
      args: [sender, nonce >> 64n],
    });
  } catch {
    return undefined;
  }
}

async function receiptOf(bundlerClient: LifecycleBundlerClient, hash: Hex): Promise<UserOperationReceipt | undefined> {
  try {
    return await bundlerClient.getUserOperationReceipt({ hash });
  } catch {
    return undefined;
  }
}

async function finalFromReceipt(
  bundlerClient: LifecycleBundlerClient,
  hash: Hex,
  receipt: UserOperationReceipt,
): Promise<FinalUserOperationState> {
  if (receipt.success) return { status: "included", userOpHash: hash, receipt };
  const now = await chainNow(publicClientOf(bundlerClient));
  const error = revertedOperationError(receipt.reason as Hex | undefined, { now, userOpHash: hash });
  return { status: "reverted", userOpHash: hash, receipt, error };
}

function droppedState(hash: Hex, why: string): FinalUserOperationState {
  return {
    status: "dropped",
    userOpHash: hash,
    error: new UserOperationError(
      "USEROP_DROPPED",
      `the bundler dropped the operation (${why}); it was never included and cost nothing`,
      "check the account's state and balance, then send it again",
      { userOpHash: hash },
    ),
  };
}

interface Tracker {
  hashes: Hex[];
  attempt: number;
  emit: (state: UserOperationState) => void;
  /** Called when the newest hash has waited too long unbundled; returns true when it replaced it. */
  onStuck?: () => Promise<boolean>;
  stuckAfterMs?: number;
  /** The operation's sender and nonce: once the EntryPoint's nonce passes it without a receipt of ours, it was dropped. */
  sender?: Address;
  nonce?: bigint;
}

/** How often the EntryPoint nonce is read while an operation is pending (a chain call, so not every poll). */
const NONCE_CHECK_MS = 1_000;

async function track(
  bundlerClient: LifecycleBundlerClient,
  tracker: Tracker,
  options: WatchOptions,
): Promise<FinalUserOperationState> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 150;
  const grace = options.notFoundGraceMs ?? 5_000;
  const started = Date.now();
  let lastChange = Date.now();
  let lastStatus: string | undefined;
  let notFoundSince: number | undefined;
  let nonceCheckedAt = 0;

  for (;;) {
    for (const hash of tracker.hashes) {
      const receipt = await receiptOf(bundlerClient, hash);
      if (receipt) return finalFromReceipt(bundlerClient, hash, receipt);
    }
    const current = tracker.hashes[tracker.hashes.length - 1]!;
    const status = await bundlerStatus(bundlerClient, current);
    if (status && status.status !== lastStatus) {
      lastStatus = status.status;
      lastChange = Date.now();
      tracker.emit({
        status: "submitted",
        userOpHash: current,
        hashes: [...tracker.hashes],
        attempt: tracker.attempt,
        bundlerStatus: status.status,
        ...(status.transactionHash ? { transactionHash: status.transactionHash } : {}),
      });
    }
    if (status?.status === "rejected" || status?.status === "failed") {
      return droppedState(current, `bundler status "${status.status}"`);
    }
    if (status?.status === "not_found") {
      notFoundSince ??= Date.now();
      if (Date.now() - notFoundSince > grace) return droppedState(current, "the bundler no longer knows it");
    } else {
      notFoundSince = undefined;
    }
    // Standard-methods check: the nonce was used by an operation that is none of ours.
    if (tracker.sender && tracker.nonce !== undefined && Date.now() - nonceCheckedAt > NONCE_CHECK_MS) {
      nonceCheckedAt = Date.now();
      const next = await nextNonce(publicClientOf(bundlerClient), tracker.sender, tracker.nonce);
      if (next !== undefined && next > tracker.nonce) {
        for (const hash of tracker.hashes) {
          const receipt = await receiptOf(bundlerClient, hash);
          if (receipt) return finalFromReceipt(bundlerClient, hash, receipt);
        }
        return droppedState(current, "another operation used its nonce");
      }
    }
    // Unbundled for too long (queued per the vendor status, or no transaction named at all): replace it.
    const unbundled = status === undefined || status.status === "not_submitted";
    if (
      unbundled &&
      tracker.onStuck &&
      Date.now() - lastChange > (tracker.stuckAfterMs ?? 15_000) &&
      (await tracker.onStuck())
    ) {
      lastChange = Date.now();
      lastStatus = undefined;
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new UserOperationError(
        "USEROP_TIMEOUT",
        `the operation was submitted but not included after ${Math.round(timeoutMs / 1000)} s`,
        `it may still be included: check it later by its hash ${current}`,
        { userOpHash: current },
      );
    }
    await sleep(pollIntervalMs);
  }
}

/** Follows an already submitted operation by its hash until it is included, reverted or dropped. */
export async function watchUserOperation(
  bundlerClient: LifecycleBundlerClient,
  userOpHash: Hex,
  options: WatchOptions = {},
): Promise<FinalUserOperationState> {
  const emit = (state: UserOperationState) => options.onState?.(state);
  emit({ status: "submitted", userOpHash, hashes: [userOpHash], attempt: 1 });
  const final = await track(bundlerClient, { hashes: [userOpHash], attempt: 1, emit }, options);
  emit(final);
  return final;
}

/**
 * The fit of an operation the account accepts only within its gas caps: a guardian-driven recovery
 * step (S13), or a rotation or configuration change sent as the raw self-call, which a guardian lock
 * accepts at once only within the caps (S4) — always fitted, so a lock that starts while it waits does
 * not hold it back (an account not deployed yet has no lock). Undefined for any other operation.
 */
async function gasCapsFit(
  client: PublicClient,
  account: Address,
  calls: RunOptions["calls"],
): Promise<RunOptions["fitOperation"]> {
  const kind = isRecoveryCall(account, calls)
    ? "guardian-driven"
    : isLockExemptCall(account, calls)
      ? "lock-exempt"
      : undefined;
  if (!kind) return undefined;
  if (kind === "lock-exempt" && !(await client.getCode({ address: account }))) return undefined;
  const caps = await readGasCaps(client, account);
  return (op) => fitToGasCaps(op, caps, kind);
}

function bump(value: bigint, percent: bigint): bigint {
  return (value * percent + 99n) / 100n;
}

/**
 * Prepares, signs, submits and follows one UserOperation, emitting every state change. Failures
 * before submission throw a UserOperationError; afterwards the final state says what happened
 * (a revert or a drop carries its typed error). Use `assertIncluded` to turn those into throws.
 */
export async function runUserOperation(options: RunOptions): Promise<FinalUserOperationState> {
  const { bundlerClient, calls } = options;
  const account = options.account ?? (bundlerClient.account as SmartAccount | undefined);
  if (!account) throw new UserOperationError("USEROP_SETUP", "no smart account to send from", "pass an account");
  const client = publicClientOf(bundlerClient);
  const emit = (state: UserOperationState) => options.onState?.(state);
  const chainId = client.chain?.id ?? (await client.getChainId());
  const recoveryCall = isRecoveryCall(account.address, calls);

  emit({ status: "preparing" });
  let userOperation: UserOperation<"0.8">;
  let fit: RunOptions["fitOperation"];
  try {
    userOperation = (await prepareUserOperation(bundlerClient, {
      account,
      calls: calls as { to: `0x${string}`; value?: bigint; data?: Hex }[],
      ...options.overrides,
    })) satisfies UserOperation<"0.8">;
    if (options.overrides?.verificationGasLimit === undefined) {
      userOperation.verificationGasLimit += VERIFICATION_GAS_MARGIN;
    }
    fit = options.fitOperation ?? (await gasCapsFit(client, account.address, calls));
    if (fit) userOperation = fit(userOperation);
  } catch (error) {
    throw await explain(error, client, account.address, recoveryCall);
  }

  const signAndSend = async (op: UserOperation<"0.8">): Promise<Hex> => {
    emit({ status: "awaiting-signature", userOperation: op });
    const signature = await account.signUserOperation(op);
    const signed = { ...op, signature };
    const hash = getUserOperationHash({
      chainId,
      entryPointAddress: entryPoint08Address,
      entryPointVersion: "0.8",
      userOperation: signed,
    });
    try {
      await bundlerClient.request({
        method: "eth_sendUserOperation",
        params: [formatUserOperationRequest(signed), entryPoint08Address],
      });
    } catch (error) {
      throw await explain(error, client, account.address, recoveryCall, hash);
    }
    return hash;
  };

  const tracker: Tracker = {
    hashes: [await signAndSend(userOperation)],
    attempt: 1,
    emit,
    stuckAfterMs: options.stuckAfterMs,
    sender: account.address,
    nonce: userOperation.nonce,
  };
  let resubmitsLeft = options.maxResubmits ?? 2;
  tracker.onStuck = async () => {
    if (resubmitsLeft <= 0) return false;
    resubmitsLeft -= 1;
    const percent = options.feeBumpPercent ?? 125n;
    const bumped = {
      ...userOperation,
      maxFeePerGas: bump(userOperation.maxFeePerGas, percent),
      maxPriorityFeePerGas: bump(userOperation.maxPriorityFeePerGas, percent),
    };
    userOperation = fit ? fit(bumped) : bumped;
    try {
      tracker.hashes.push(await signAndSend(userOperation));
      tracker.attempt += 1;
    } catch {
      return false; // the original may have been bundled meanwhile: keep following it
    }
    emit({
      status: "submitted",
      userOpHash: tracker.hashes.at(-1)!,
      hashes: [...tracker.hashes],
      attempt: tracker.attempt,
    });
    return true;
  };
  emit({ status: "submitted", userOpHash: tracker.hashes[0]!, hashes: [...tracker.hashes], attempt: 1 });

  let final = await track(bundlerClient, tracker, options);
  if (final.status === "dropped") {
    final = { ...final, error: await explain(final.error, client, account.address, recoveryCall, final.userOpHash) };
  }
  emit(final);
  return final;
}

/** Returns the receipt of an included operation; throws the typed error of a reverted or dropped one. */
export function assertIncluded(state: FinalUserOperationState): UserOperationReceipt {
  if (state.status === "included") return state.receipt;
  throw state.error;
}
