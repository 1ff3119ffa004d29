import assert from "node:assert/strict";
import { assertIncluded, type FinalUserOperationState } from "../../../custos/userop/lifecycle.js";

/** ERC-7769's code for "the operation breaks an ERC-7562 validation rule" (opcode or storage). */
export const OPCODE_VALIDATION = -32502;

export interface BundlerRefusal {
  code: number;
  message: string;
}

/**
 * The bundler's own JSON-RPC error (code and message) somewhere in an error's cause chain: viem keeps
 * it as an RpcRequestError (`code`, `details`) under its typed errors, and Custos' UserOperationError
 * keeps viem's error as its cause.
 */
export function bundlerRefusal(error: unknown): BundlerRefusal | undefined {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { name, code, details } = e as { name?: string; code?: unknown; details?: unknown };
    if (name === "RpcRequestError" && typeof code === "number" && typeof details === "string") {
      return { code, message: details };
    }
  }
  return undefined;
}

/**
 * Waits for `run` and asserts the operation was accepted and included. When the bundler refused it,
 * the test fails with the bundler's own words, e.g. `-32502 account uses banned opcode: TIMESTAMP`.
 */
export async function includedByBundler(run: Promise<FinalUserOperationState>) {
  let final: FinalUserOperationState;
  try {
    final = await run;
  } catch (error) {
    const refusal = bundlerRefusal(error);
    if (refusal) assert.fail(`the bundler refused the operation: ${refusal.code} ${refusal.message}`);
    throw error;
  }
  return assertIncluded(final);
}
