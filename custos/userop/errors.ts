import { BaseError, decodeErrorResult, type Hex } from "viem";
import { custosAccountAbi, entryPointAbi } from "../generated/abis.js";
import { CustosError, formatDuration } from "../errors.js";

/** Failures of the lifecycle itself, before or after the EntryPoint had its say. */
export type LifecycleErrorCode =
  | "USEROP_SETUP"
  | "USEROP_FAILED"
  | "USEROP_REVERTED"
  | "USEROP_DROPPED"
  | "USEROP_TIMEOUT"
  | "USEROP_BUNDLER_UNREACHABLE"
  /** The recovery delay passed on-chain but not yet on the bundler's clock. */
  | "BUNDLER_CLOCK_BEHIND"
  /** The operation needs more gas than the account allows for operations its owner did not sign. */
  | "GAS_CAP";

type AbiErrorName<abi extends readonly unknown[]> =
  Extract<abi[number], { type: "error" }> extends { name: infer n } ? n & string : never;

/** A revert of the Custos account or the EntryPoint, by its error name in the generated ABIs. */
export type ContractErrorName = AbiErrorName<typeof custosAccountAbi> | AbiErrorName<typeof entryPointAbi>;

/** Every code a UserOperationError can carry: a closed set programs can switch over. */
export type UserOperationErrorCode = EntryPointCode | ContractErrorName | LifecycleErrorCode;

/**
 * A UserOperation failed: `shortMessage` says what happened in plain words, `fix` what to do about it.
 * `code` is an EntryPoint code ("AA24"), a Custos contract error name ("RecoveryPending") or one of
 * the lifecycle's own codes (USEROP_*).
 */
export class UserOperationError extends CustosError {
  override name = "UserOperationError";
  declare readonly code: UserOperationErrorCode;
  /** What happened, in plain words ("recovery not yet executable: 3 h 12 min left"). */
  readonly reason: string;
  /** What to do about it. */
  readonly fix: string;
  readonly userOpHash?: Hex;

  constructor(
    code: UserOperationErrorCode,
    reason: string,
    fix: string,
    options: { details?: string; cause?: unknown; userOpHash?: Hex } = {},
  ) {
    super(code, `${sentence(reason)} ${sentence(fix)}`, options);
    this.reason = reason;
    this.fix = fix;
    this.userOpHash = options.userOpHash;
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? "" : "."}`;
}

/** Context that makes messages precise: the chain's current time (it differs from the wall clock after time travel). */
export interface ErrorContext {
  now?: bigint;
  userOpHash?: Hex;
}

type Explanation = [message: string, fix: string];

/** EntryPoint v0.8 failure codes, in words. */
export const ENTRY_POINT_CODES = {
  AA10: ["the account already exists but the operation tries to create it again", "send it without factory data"],
  AA13: [
    "creating the account failed (factory call reverted or ran out of gas)",
    "check the factory address and the guardian configuration, then retry",
  ],
  AA14: ["the factory returned an address other than the operation's sender", "recompute the account address"],
  AA15: ["the factory did not deploy the account", "check the factory address and its arguments"],
  AA20: ["the account is not deployed and the operation does not create it", "include the factory data"],
  AA21: [
    "the account does not hold enough ETH to pay for this operation",
    "send ETH to the account address, then retry",
  ],
  AA22: [
    "the operation is not valid at this time (expired, or not valid yet)",
    "if a guardian locked the account or a recovery delay is running, wait for it to end; if approvals expired, collect fresh ones",
  ],
  AA23: ["the account rejected the operation during validation", "read the reason above and fix the request"],
  AA24: [
    "the signature does not match the key allowed to sign this operation",
    "sign with the account's current owner (or, for a recovery, the proposed new owner)",
  ],
  AA25: [
    "the operation's nonce is already used or out of order",
    "rebuild the operation with the current nonce; if one is pending, wait for it or replace it with higher fees",
  ],
  AA26: ["validation needed more gas than the operation allows", "raise verificationGasLimit and retry"],
  AA30: ["the paymaster is not deployed", "remove the paymaster or fix its address"],
  AA31: ["the paymaster's deposit is too low", "use another paymaster or let the account pay"],
  AA32: ["the paymaster's approval expired or is not valid yet", "ask the paymaster for a fresh approval"],
  AA33: ["the paymaster rejected the operation", "use another paymaster or let the account pay"],
  AA34: ["the paymaster's signature is invalid", "ask the paymaster for a fresh approval"],
  AA36: ["the paymaster needed more gas than allowed", "raise paymasterVerificationGasLimit"],
  AA40: ["validation used more gas than the operation declared", "raise verificationGasLimit and retry"],
  AA41: ["too little gas was left for validation", "raise verificationGasLimit and retry"],
  AA50: ["the paymaster's post-operation step reverted", "use another paymaster or let the account pay"],
  AA51: ["the prefund was below the actual gas cost", "raise the gas limits and retry"],
} satisfies Record<string, Explanation>;

/** An EntryPoint v0.8 failure code ("AA24"). */
export type EntryPointCode = keyof typeof ENTRY_POINT_CODES;

/** viem's typed bundler errors, by class name, mapped to the EntryPoint code they stand for. */
const VIEM_ERROR_CODES: Record<string, EntryPointCode> = {
  AccountNotDeployedError: "AA20",
  InitCodeFailedError: "AA13",
  InitCodeMustReturnSenderError: "AA14",
  InitCodeMustCreateSenderError: "AA15",
  InsufficientPrefundError: "AA21",
  UserOperationExpiredError: "AA22",
  SmartAccountFunctionRevertedError: "AA23",
  InvalidAccountNonceError: "AA25",
  PaymasterNotDeployedError: "AA30",
  PaymasterDepositTooLowError: "AA31",
  UserOperationPaymasterExpiredError: "AA32",
  PaymasterFunctionRevertedError: "AA33",
  UserOperationSignatureError: "AA24",
  UserOperationPaymasterSignatureError: "AA34",
  VerificationGasLimitExceededError: "AA40",
  VerificationGasLimitTooLowError: "AA41",
  PaymasterPostOpFunctionRevertedError: "AA50",
};

interface DecodedError {
  errorName: ContractErrorName;
  args: readonly unknown[];
}

function left(until: bigint, now: bigint): string {
  return formatDuration(until > now ? until - now : 0n);
}

/** Plain words and a fix for each Custos contract error. */
function explainCustosError({ errorName, args }: DecodedError, now: bigint): Explanation {
  const a = args as readonly (bigint | string)[];
  switch (errorName) {
    case "RecoveryNotExecutable":
      return [
        `recovery not yet executable: ${left(a[0] as bigint, now)} left`,
        "wait for the recovery delay to pass, then execute it",
      ];
    case "RecoveryPending":
      return [
        "a recovery is pending: the owner key is frozen until it is executed or cancelled",
        "cancel the recovery with the owner and guardians, or wait for its execution",
      ];
    case "NoRecoveryPending":
      return ["no recovery is pending on this account", "start a recovery first"];
    case "AccountLocked":
      return [
        `the account is locked by a guardian for ${left(a[0] as bigint, now)} more`,
        "ask a guardian to unlock it, or wait until the lock expires",
      ];
    case "NotLocked":
      return ["the account is not locked", "nothing to unlock"];
    case "NotEnoughApprovals":
      return [
        `not enough approvals: ${a[0]} valid, ${a[1]} needed`,
        "collect more guardian approvals for the same request",
      ];
    case "ApprovalExpired":
      return ["the approvals expired", "collect fresh approvals with a later deadline"];
    case "InvalidSignature":
      return [
        `the signature of ${a[0]} is invalid for this request`,
        "ask that signer to sign again: approvals are bound to chain, account, new owner, nonce and epoch",
      ];
    case "UnknownSigner":
      return [`signer #${a[0]} is not a current guardian`, "use signatures of current guardians only"];
    case "SignersNotSorted":
      return ["the approvals are out of order or contain a duplicate", "encode them with encodeSignatureBlob"];
    case "MalformedSignatures":
      return [`the approval list is malformed at byte ${a[0]}`, "encode it with encodeSignatureBlob"];
    case "EmptySignatures":
      return ["no approvals were supplied", "collect guardian approvals first"];
    case "ConfigMismatch":
      return [
        "the guardian configuration supplied does not match the account's",
        "reload the account's current configuration (it may have changed) and retry",
      ];
    case "AlreadyApproved":
      return [`guardian #${a[0]} already approved this request`, "wait for the other guardians"];
    case "NotGuardian":
      return [`${a[0]} is not a guardian of this account`, "sign with a current guardian key"];
    case "InvalidNewOwner":
      return [
        `${a[0]} cannot become the owner (zero, the account, a guardian, or the current owner)`,
        "choose a fresh key as the new owner",
      ];
    case "Unauthorized":
      return [`${a[0]} is not allowed to do this`, "send it from the account's owner"];
    case "AlreadyInitialized":
      return ["the account is already initialised", "nothing to do"];
    case "InvalidGuardian":
      return [`${a[0]} cannot be a guardian (zero, the account or the owner)`, "choose another guardian address"];
    case "GuardiansNotSorted":
      return ["the guardians are not sorted or contain a duplicate", "normalise the configuration first"];
    case "TooManyGuardians":
      return [`too many guardians: ${a[0]}, at most ${a[1]}`, "remove some guardians"];
    case "InvalidThreshold":
      return [
        `a threshold of ${a[0]} is impossible with ${a[1]} guardians`,
        "choose a threshold between 1 and the guardian count",
      ];
    case "DelayOutOfBounds":
      return [
        `a delay of ${formatDuration(a[1] as bigint)} is outside ${formatDuration(a[2] as bigint)}–${formatDuration(a[3] as bigint)}`,
        "choose a delay inside the allowed range",
      ];
    case "RecoveryDelayTooShort":
      return [
        `the recovery delay must be at least ${formatDuration(a[1] as bigint)}`,
        "raise the recovery delay above the security period plus window",
      ];
    case "NoPendingConfigChange":
      return ["no such configuration change is pending", "request the change first"];
    case "ConfigChangeAlreadyPending":
      return ["this configuration change is already pending", "confirm it once its security period has passed"];
    case "ConfigChangeNotConfirmable": {
      const [readyAt, expiresAt] = a as readonly bigint[];
      if (now < readyAt!) {
        return [`the configuration change can be confirmed in ${left(readyAt!, now)}`, "wait, then confirm it"];
      }
      return [`the configuration change expired at ${expiresAt}`, "request it again"];
    }
    case "ConfigUnchanged":
      return ["the new configuration equals the current one", "change something first"];
    case "AlreadyLocked":
      return [
        `the account is already locked for another ${left(a[0] as bigint, now)}; a running lock cannot be extended`,
        "wait for the lock to end, or ask a guardian to unlock it",
      ];
    case "LockCooldown":
      return [
        `guardian ${a[0]} locked the account recently and may lock again only in ${left(a[1] as bigint, now)}`,
        "ask another guardian to lock it, or wait",
      ];
    case "OnlyLockerRemovalWhileLocked":
      return [
        `the account is locked for another ${left(a[0] as bigint, now)}: the only change allowed now removes the guardians who locked it`,
        "remove only the guardians who locked the account, keeping the delays, or wait for the lock to end",
      ];
    case "InvalidDeadline":
      return ["an approval deadline of 0 is invalid", "ask for approvals with a deadline within 30 days"];
    case "ContractGuardianMustApproveOnChain":
      return [
        `guardian ${a[0]} is a contract: its approval cannot travel inside a UserOperation`,
        "have it approve on-chain first (a Safe: a transaction its owners sign; a Custos account: from its own dashboard)",
      ];
    case "OperationInFlight":
      return [
        "another recovery operation of this account is already waiting in the same bundle",
        "wait for it to be included, then check the account's state",
      ];
    case "StaleValidation":
      return ["the account changed between validation and execution", "reload the account and retry"];
    case "CounterExhausted":
      return ["the account's recovery or configuration counter reached its maximum", "move the funds to a new account"];
    default:
      return [`the account reverted with ${errorName}`, "check the request"];
  }
}

const HEX_BLOB = /0x[0-9a-fA-F]{8,}/g;

/** Decodes Custos (and nested EntryPoint/batch) revert data; undefined when it is none of ours. */
export function decodeCustosRevert(data: Hex): DecodedError | undefined {
  for (const abi of [custosAccountAbi, entryPointAbi]) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      if (decoded.errorName === "FailedOpWithRevert") return decodeCustosRevert(decoded.args[2] as Hex);
      if (decoded.errorName === "ExecuteError") return decodeCustosRevert(decoded.args[1] as Hex);
      // FailedOp carries only an AA string; Error(string)/Panic are not Custos errors.
      if (["FailedOp", "Error", "Panic"].includes(decoded.errorName)) return undefined;
      return { errorName: decoded.errorName, args: decoded.args ?? [] };
    } catch {
      // not an error of this ABI
    }
  }
  return undefined;
}

/** Every string reachable from an error: messages, details, revert data of the whole cause chain. */
function collectText(error: unknown): string[] {
  const texts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { message?: unknown; details?: unknown; shortMessage?: unknown; data?: unknown };
    for (const v of [e.shortMessage, e.details, e.message, e.data]) {
      if (typeof v === "string") texts.push(v);
      else if (v && typeof v === "object" && typeof (v as { data?: unknown }).data === "string") {
        texts.push((v as { data: string }).data);
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return texts;
}

/** The EntryPoint code a bundler message names, or implies (alto's own checks name none). */
const isEntryPointCode = (code: string): code is EntryPointCode => Object.hasOwn(ENTRY_POINT_CODES, code);

function entryPointCodeIn(text: string): EntryPointCode | undefined {
  const explicit = /\bAA(\d\d)\b/.exec(text);
  if (explicit) {
    const code = `AA${explicit[1]}`;
    return isEntryPointCode(code) ? code : undefined;
  }
  if (/not valid yet|expires too soon|expires shortly/i.test(text)) return "AA22";
  if (/invalid user ?op(eration)? signature/i.test(text)) return "AA24";
  return undefined;
}

function viemCode(error: unknown): EntryPointCode | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let code: EntryPointCode | undefined;
  error.walk((e) => {
    const found = VIEM_ERROR_CODES[(e as Error).name];
    if (found && !code) code = found;
    return false;
  });
  return code;
}

/**
 * Maps any failure of sending or running a UserOperation to a UserOperationError with a plain
 * sentence and a suggested fix. Custos contract errors win (they are the most precise), then
 * EntryPoint AA codes, then viem's typed errors.
 */
export function toUserOperationError(error: unknown, context: ErrorContext = {}): UserOperationError {
  if (error instanceof UserOperationError) return error;
  const now = context.now ?? BigInt(Math.floor(Date.now() / 1000));
  const texts = collectText(error);
  const details = texts[0] ?? String(error);
  const options = { details, cause: error, userOpHash: context.userOpHash };

  for (const text of texts) {
    for (const blob of text.match(HEX_BLOB) ?? []) {
      const decoded = decodeCustosRevert(blob as Hex);
      if (decoded) {
        const [message, fix] = explainCustosError(decoded, now);
        return new UserOperationError(decoded.errorName, message, fix, options);
      }
    }
  }
  for (const text of texts) {
    const code = entryPointCodeIn(text);
    if (code) return new UserOperationError(code, ENTRY_POINT_CODES[code][0], ENTRY_POINT_CODES[code][1], options);
  }
  const code = viemCode(error);
  if (code) return new UserOperationError(code, ENTRY_POINT_CODES[code][0], ENTRY_POINT_CODES[code][1], options);
  if (texts.some((t) => /fetch failed|ECONNREFUSED|HTTP request failed/i.test(t))) {
    return new UserOperationError(
      "USEROP_BUNDLER_UNREACHABLE",
      "the bundler cannot be reached",
      "check the bundler URL and that it is running (npm start starts one)",
      options,
    );
  }
  return new UserOperationError("USEROP_FAILED", "the operation failed", "see the details below", options);
}

/** The typed error of a reverted operation from its revert data (receipt `reason`). */
export function revertedOperationError(reason: Hex | undefined, context: ErrorContext = {}): UserOperationError {
  const decoded = reason && reason !== "0x" ? decodeCustosRevert(reason) : undefined;
  const now = context.now ?? BigInt(Math.floor(Date.now() / 1000));
  const options = { details: `revert data: ${reason ?? "none"}`, userOpHash: context.userOpHash };
  if (decoded) {
    const [message, fix] = explainCustosError(decoded, now);
    return new UserOperationError(
      decoded.errorName,
      `the operation was included but reverted: ${message}`,
      fix,
      options,
    );
  }
  return new UserOperationError(
    "USEROP_REVERTED",
    "the operation was included but its call reverted (the account paid the gas)",
    "check the call's target, value and data",
    options,
  );
}

/** What the account's state says about a failure the bundler could only describe vaguely. */
export interface AccountStateSnapshot {
  lockedUntil: bigint;
  recovering: boolean;
}

/**
 * Sharpens a vague failure (not valid yet, expired, dropped) with the account's state: a guardian lock
 * or a pending recovery explains it better than the EntryPoint code.
 */
export function refineWithAccountState(
  error: UserOperationError,
  state: AccountStateSnapshot,
  context: ErrorContext & { recoveryCall?: boolean } = {},
): UserOperationError {
  // Lock and pending recovery hold back owner-signed operations only, never the recovery self-calls.
  if (context.recoveryCall || !["AA22", "USEROP_DROPPED"].includes(error.code)) return error;
  const now = context.now ?? BigInt(Math.floor(Date.now() / 1000));
  const options = { details: error.details ?? error.reason, cause: error, userOpHash: error.userOpHash };
  if (state.recovering) {
    const [message, fix] = explainCustosError({ errorName: "RecoveryPending", args: [] }, now);
    return new UserOperationError("RecoveryPending", message, fix, options);
  }
  if (state.lockedUntil > now) {
    const [message, fix] = explainCustosError({ errorName: "AccountLocked", args: [state.lockedUntil] }, now);
    return new UserOperationError("AccountLocked", message, fix, options);
  }
  return error;
}
