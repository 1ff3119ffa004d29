import type { Hash } from "viem";
import type { BenchChain } from "./chain.js";

interface StructLog {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

const EXPENSIVE = new Set([
  "SLOAD",
  "SSTORE",
  "CALL",
  "STATICCALL",
  "DELEGATECALL",
  "CREATE2",
  "KECCAK256",
  "SHA3",
  "LOG1",
  "LOG2",
  "LOG3",
  "LOG4",
  "EXTCODECOPY",
  "EXTCODESIZE",
  "CALLDATACOPY",
  "RETURN",
]);

/**
 * Replays `hash` with struct logs and returns a text profile: gas per call frame (own opcodes only,
 * the gas forwarded to sub-calls excluded) and the costliest opcodes with their total gas.
 */
export async function profile(bench: BenchChain, name: string, hash: Hash): Promise<string> {
  const receipt = await bench.publicClient.getTransactionReceipt({ hash });
  const trace = (await bench.publicClient.request({
    method: "debug_traceTransaction" as "eth_chainId",
    params: [hash, { disableStorage: true, disableMemory: true, enableMemory: false }] as never,
  })) as unknown as { gas: number; structLogs: StructLog[] };
  const logs = trace.structLogs;
  // Frame id per step: a stack of frame labels by depth (address of the call target when known).
  const frames = new Map<string, { own: number; ops: number; code: number }>();
  const opTotals = new Map<string, { gas: number; count: number }>();
  const stack: string[] = ["tx"];
  let execution = 0;
  // TRACE_STEPS=<frame substring>: also list every step of the matching frames (pc, opcode, gas).
  const stepsOf = process.env.TRACE_STEPS ?? "";
  const steps: string[] = [];
  for (let i = 0; i < logs.length; i++) {
    const log = logs[i]!;
    while (stack.length > log.depth) stack.pop();
    const frame = stack.join(">");
    const next = logs[i + 1];
    let cost = log.gasCost;
    if (["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE", "CREATE", "CREATE2"].includes(log.op)) {
      if (next && next.depth > log.depth) {
        // Charged cost = gas before the call minus gas available at the callee's first step, minus
        // what came back: approximate as (gas before - gas after return) - callee total.
        let j = i + 1;
        while (j < logs.length && logs[j]!.depth > log.depth) j++;
        const after = logs[j];
        const calleeStart = next.gas;
        const calleeEnd = logs[j - 1]!;
        const calleeUsed = calleeStart - calleeEnd.gas + calleeEnd.gasCost;
        cost = after ? log.gas - after.gas - calleeUsed : log.gasCost;
        const target = log.stack
          ? `0x${BigInt(log.stack[log.stack.length - 2] ?? "0")
              .toString(16)
              .slice(-6)}`
          : "?";
        stack.push(`${log.op.toLowerCase()}:${target}`);
      } else if (next) {
        // No new frame (precompile, code-less account): the step's reported cost includes the
        // forwarded gas, so take the difference to the next step instead.
        cost = log.gas - next.gas;
      }
    }
    execution += cost;
    if (stepsOf && frame.includes(stepsOf)) steps.push(`${frame} ${log.pc} ${log.op} ${cost}`);
    const entry = frames.get(frame) ?? { own: 0, ops: 0, code: 0 };
    entry.own += cost;
    entry.ops += 1;
    if (!EXPENSIVE.has(log.op)) entry.code += cost;
    frames.set(frame, entry);
    const key = EXPENSIVE.has(log.op) ? `${log.op}` : "other";
    const total = opTotals.get(key) ?? { gas: 0, count: 0 };
    total.gas += cost;
    total.count += 1;
    opTotals.set(key, total);
  }
  const lines = [
    `## ${name}: gasUsed ${receipt.gasUsed}, execution ${execution}, intrinsic+refund ${Number(receipt.gasUsed) - execution}`,
  ];
  lines.push("      gas  (plain code)   ops  frame (own opcodes; gas forwarded to sub-calls excluded)");
  for (const [frame, { own, ops, code }] of frames) {
    lines.push(`  ${String(own).padStart(7)}  (${String(code).padStart(6)})  ${String(ops).padStart(5)}  ${frame}`);
  }
  lines.push("  opcodes:");
  for (const [op, { gas, count }] of [...opTotals].sort((a, b) => b[1].gas - a[1].gas)) {
    lines.push(`    ${op.padEnd(12)} ${String(gas).padStart(7)} (${count})`);
  }
  if (steps.length) lines.push("  steps:", ...steps.map((step) => `    ${step}`));
  return lines.join("\n");
}
