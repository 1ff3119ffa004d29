import type { UserOperationState } from "./lifecycle.js";

const short = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

/** One line per state for people (the CLI prints it; the dApp may use it as a caption). */
export function describeUserOperationState(state: UserOperationState): string {
  switch (state.status) {
    case "preparing":
      return "Preparing the operation (nonce, gas, fees)…";
    case "awaiting-signature":
      return "Waiting for the signature…";
    case "submitted": {
      const attempt = state.attempt > 1 ? ` (replacement #${state.attempt - 1}, higher fees)` : "";
      const where =
        state.bundlerStatus === "submitted" && state.transactionHash
          ? `, in transaction ${short(state.transactionHash)}`
          : state.bundlerStatus === "not_submitted"
            ? ", queued by the bundler"
            : "";
      return `Submitted ${short(state.userOpHash)}${attempt}${where}`;
    }
    case "included":
      return `Included in block ${state.receipt.receipt.blockNumber} (transaction ${short(state.receipt.receipt.transactionHash)})`;
    case "reverted":
      return `Included but reverted: ${state.error.shortMessage}`;
    case "dropped":
      return `Dropped: ${state.error.shortMessage}`;
  }
}
