import { getAbiItem, toFunctionSelector, type Address, type Hex } from "viem";
import { custosAccountAbi } from "../generated/abis.js";

const selectorOf = (name: "rotateOwner" | "requestConfigChange" | "confirmConfigChange") =>
  toFunctionSelector(getAbiItem({ abi: custosAccountAbi, name }));

/** The self-calls the account validates by their selector instead of by the owner's signature. */
export const RECOVERY_SELECTORS: readonly Hex[] = [
  toFunctionSelector("startRecovery(address,uint256,(address[],uint256,uint256,uint256,uint256,uint256),bytes)"),
  toFunctionSelector("executeRecovery()"),
  toFunctionSelector("cancelRecovery(uint256,(address[],uint256,uint256,uint256,uint256,uint256),bytes)"),
];

/** Whether `calls` form a recovery UserOperation of `account` (one raw self-call with a recovery selector). */
export function isRecoveryCall(
  account: Address,
  calls: readonly { to: Address; value?: bigint | undefined; data?: Hex | undefined }[],
): boolean {
  return isSelfCallWith(account, calls, RECOVERY_SELECTORS);
}

function isSelfCallWith(
  account: Address,
  calls: readonly { to: Address; value?: bigint | undefined; data?: Hex | undefined }[],
  selectors: readonly Hex[],
): boolean {
  const [call] = calls;
  if (calls.length !== 1 || !call) return false;
  const selector = call.data?.slice(0, 10).toLowerCase() as Hex | undefined;
  return (
    call.to.toLowerCase() === account.toLowerCase() &&
    (call.value ?? 0n) === 0n &&
    selector !== undefined &&
    selectors.includes(selector)
  );
}

/**
 * The owner's self-calls the account accepts while a guardian lock holds (S4, S12): sent as the raw
 * self-call (not wrapped in `execute`, which a lock refuses), within the account's gas caps.
 */
export const LOCK_EXEMPT_SELECTORS: readonly Hex[] = [
  selectorOf("rotateOwner"),
  selectorOf("requestConfigChange"),
  selectorOf("confirmConfigChange"),
];

/** Whether `calls` are one lock-exempt self-call of `account` (see LOCK_EXEMPT_SELECTORS). */
export function isLockExemptCall(
  account: Address,
  calls: readonly { to: Address; value?: bigint | undefined; data?: Hex | undefined }[],
): boolean {
  return isSelfCallWith(account, calls, LOCK_EXEMPT_SELECTORS);
}
