import { isAddressEqual, type Address, type Hash, type PublicClient } from "viem";
import { ENTRY_POINT_ADDRESS } from "../../custos/deploy/constants.js";

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
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
}

const penaltyOf = (callGasLimit: number, used: number) =>
  callGasLimit <= used + PENALTY_GAS_THRESHOLD
    ? 0
    : Math.floor(((callGasLimit - used) * UNUSED_GAS_PENALTY_PERCENT) / 100);

/** Gas used by the call frame entered at step `i`, and the index of the first step after it. */
function frameGas(logs: StructLog[], i: number): { used: number; end: number } {
  const depth = logs[i]!.depth;
  let j = i + 1;
  while (j < logs.length && logs[j]!.depth > depth) j++;
  const last = logs[j - 1]!;
  return { used: logs[i + 1]!.gas - (last.gas - last.gasCost), end: j };
}

const callTarget = (log: StructLog): string | undefined => log.stack?.[log.stack.length - 2];

/**
 * Replays the one-operation bundle `hash` with struct logs and bounds the EntryPoint's execution gas
 * of the operation: at least the account's `execute` frame (the call to `sender` inside
 * `innerHandleOp`), at most the whole `innerHandleOp` frame. From those and `callGasLimit` follows the
 * 10 % penalty on unused execution gas that the operation paid.
 */
export async function checkUnusedGasPenalty(
  client: PublicClient,
  hash: Hash,
  sender: Address,
  callGasLimit: bigint,
): Promise<PenaltyCheck> {
  const trace = (await client.request({
    method: "debug_traceTransaction" as "eth_chainId",
    params: [hash, { disableStorage: true, disableMemory: true, enableMemory: false }] as never,
  })) as unknown as { structLogs: StructLog[] };
  const logs = trace.structLogs;
  const isCallInto = (i: number, target: Address) => {
    const log = logs[i]!;
    const next = logs[i + 1];
    const to = callTarget(log);
    return log.op === "CALL" && next !== undefined && next.depth > log.depth && to !== undefined
      ? isAddressEqual(`0x${BigInt(to).toString(16).padStart(40, "0")}`, target)
      : false;
  };
  // The EntryPoint (depth 1) calls itself for innerHandleOp; the last such call runs the operation.
  let inner: number | undefined;
  for (let i = 0; i < logs.length; i++) {
    if (logs[i]!.depth === 1 && isCallInto(i, ENTRY_POINT_ADDRESS)) inner = i;
  }
  if (inner === undefined) throw new Error(`transaction ${hash} has no innerHandleOp call`);
  const innerFrame = frameGas(logs, inner);
  let execute: number | undefined;
  for (let i = inner + 1; i < innerFrame.end; i++) {
    if (logs[i]!.depth === 2 && isCallInto(i, sender)) {
      execute = i;
      break;
    }
  }
  if (execute === undefined) throw new Error(`transaction ${hash}: innerHandleOp never calls ${sender}`);
  const min = frameGas(logs, execute).used;
  const max = innerFrame.used;
  const limit = Number(callGasLimit);
  return {
    callGasLimit: limit,
    executionGasUsed: { min, max },
    unusedGasPenalty: { min: penaltyOf(limit, max), max: penaltyOf(limit, min) },
  };
}
