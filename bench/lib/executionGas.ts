import { hexToNumber, isAddressEqual, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { ENTRY_POINT_ADDRESS } from "../../custos/deploy/constants.js";

/** One frame of geth's `callTracer` (anvil implements it). */
interface CallFrame {
  type: string;
  from: Address;
  to?: Address;
  gas: Hex;
  gasUsed: Hex;
  value?: Hex;
  calls?: CallFrame[];
}

/** EntryPoint v0.8: 10 % of the unused execution gas is charged once more than this is left unused. */
const PENALTY_GAS_THRESHOLD = 40_000;
const UNUSED_GAS_PENALTY_PERCENT = 10;

/** What the EntryPoint's unused-execution-gas penalty of one operation came to. */
export interface PenaltyCheck {
  callGasLimit: number;
  /** The EntryPoint's `executionGasUsed` lies between these: the account's `execute` frame and the whole `innerHandleOp`. */
  executionGasUsed: { min: number; max: number };
  /** The penalty (`_getUnusedGasPenalty`) for those bounds; min = max when the bounds decide it. */
  unusedGasPenalty: { min: number; max: number };
  /**
   * Whether validation sent ETH to the EntryPoint (`missingAccountFunds` > 0). A deposit left by
   * earlier refunds can cover the whole prefund, which saves that value transfer (about 8,700 gas).
   */
  prefundPaid: boolean;
}

const penaltyOf = (callGasLimit: number, used: number) =>
  callGasLimit <= used + PENALTY_GAS_THRESHOLD
    ? 0
    : Math.floor(((callGasLimit - used) * UNUSED_GAS_PENALTY_PERCENT) / 100);

/** Whether `frame` or a frame below it sends ETH to the EntryPoint. */
const paysEntryPoint = (frame: CallFrame): boolean =>
  (frame.type === "CALL" &&
    frame.to !== undefined &&
    isAddressEqual(frame.to, ENTRY_POINT_ADDRESS) &&
    BigInt(frame.value ?? "0x0") > 0n) ||
  (frame.calls ?? []).some(paysEntryPoint);

const isCall = (frame: CallFrame, from: Address, to: Address) =>
  frame.type === "CALL" && frame.to !== undefined && isAddressEqual(frame.from, from) && isAddressEqual(frame.to, to);

/**
 * Replays the one-operation bundle `hash` with the call tracer: whether validation paid a prefund, and
 * bounds on the EntryPoint's execution
 * gas of the operation: at least the account's frame called by `innerHandleOp` (its `execute`), at
 * most the whole `innerHandleOp` frame. From those and `callGasLimit` follows the 10 % penalty on
 * unused execution gas that the operation paid.
 */
export async function checkUnusedGasPenalty(
  client: PublicClient,
  hash: Hash,
  sender: Address,
  callGasLimit: bigint,
): Promise<PenaltyCheck> {
  const top = (await client.request({
    method: "debug_traceTransaction" as "eth_chainId",
    params: [hash, { tracer: "callTracer" }] as never,
  })) as unknown as CallFrame;
  // handleOps calls the account's validateUserOp, then itself for innerHandleOp, which calls the account.
  const validation = (top.calls ?? []).find((frame) => isCall(frame, ENTRY_POINT_ADDRESS, sender));
  if (!validation) throw new Error(`transaction ${hash}: the EntryPoint never validates with ${sender}`);
  const inner = (top.calls ?? []).filter((frame) => isCall(frame, ENTRY_POINT_ADDRESS, ENTRY_POINT_ADDRESS));
  if (inner.length !== 1) throw new Error(`transaction ${hash} has ${inner.length} innerHandleOp calls, not 1`);
  const execute = inner[0]!.calls?.find((frame) => isCall(frame, ENTRY_POINT_ADDRESS, sender));
  if (!execute) throw new Error(`transaction ${hash}: innerHandleOp never calls ${sender}`);
  const min = hexToNumber(execute.gasUsed);
  const max = hexToNumber(inner[0]!.gasUsed);
  const limit = Number(callGasLimit);
  return {
    callGasLimit: limit,
    executionGasUsed: { min, max },
    unusedGasPenalty: { min: penaltyOf(limit, max), max: penaltyOf(limit, min) },
    prefundPaid: paysEntryPoint(validation),
  };
}
