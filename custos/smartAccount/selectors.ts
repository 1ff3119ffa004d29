import { toFunctionSelector, type Address, type Hex } from "viem";

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
  const [call] = calls;
  if (calls.length !== 1 || !call) return false;
  const selector = call.data?.slice(0, 10).toLowerCase() as Hex | undefined;
  return (
    call.to.toLowerCase() === account.toLowerCase() &&
    (call.value ?? 0n) === 0n &&
    selector !== undefined &&
    RECOVERY_SELECTORS.includes(selector)
  );
}
