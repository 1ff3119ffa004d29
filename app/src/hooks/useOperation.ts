"use client";
import { useCallback, useState } from "react";

/** Stages every UserOperation goes through, shown to the user (D7). */
export type OperationStage = "idle" | "preparing" | "signing" | "submitted" | "included" | "failed";

export interface OperationState<T> {
  stage: OperationStage;
  result?: T;
  error?: unknown;
  userOpHash?: string;
}

export type ProgressReporter = (stage: OperationStage, detail?: { userOpHash?: string }) => void;

/** Runs one library operation and tracks its progress; the operation itself lives in custos/. */
export function useOperation<T>() {
  const [state, setState] = useState<OperationState<T>>({ stage: "idle" });
  const run = useCallback(async (operation: (progress: ProgressReporter) => Promise<T>) => {
    setState({ stage: "preparing" });
    const progress: ProgressReporter = (stage, detail) =>
      setState((s) => ({ ...s, stage, userOpHash: detail?.userOpHash ?? s.userOpHash }));
    try {
      const result = await operation(progress);
      setState((s) => ({ ...s, stage: "included", result }));
      return result;
    } catch (error) {
      setState((s) => ({ ...s, stage: "failed", error }));
      return undefined;
    }
  }, []);
  const reset = useCallback(() => setState({ stage: "idle" }), []);
  return { ...state, run, reset, busy: ["preparing", "signing", "submitted"].includes(state.stage) };
}
