export * from "./abis.js";
export * from "./listTokenApprovals.js";
export * from "./revokeAllCalls.js";
export * from "./listTokenBalances.js";
export * from "./transferCall.js";
