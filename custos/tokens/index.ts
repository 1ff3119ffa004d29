export * from "./abis.js";
export * from "./listTokenApprovals.js";
export * from "./revokeAllCalls.js";
