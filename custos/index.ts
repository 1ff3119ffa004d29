/**
 * The Custos client library: one import for the dApp, the scripts and the tests.
 * contracts → artifacts + deployments/<network>.json → this library → {scripts, app, tests}.
 * The three front doors: this file (browser-safe, no node:* import), custos/backup/index.ts (the seed
 * backup alone) and custos/node.ts (deployments on disk, artifacts, the deployer, CLI file helpers).
 * eslint.config.js refuses any other path into custos/ from app/, scripts/ and server/.
 */
export * from "./errors.js";
export * from "./config.js";
// Node-only modules (deployments, artifacts, the deployer, backup/node.ts) are exported by ./node.ts instead.
export * from "./generated/abis.js";
export * from "./approvals/index.js";
export * from "./actions/index.js";
export * from "./guardians/safe.js";
export * from "./guardians/contractApproval.js";
export * from "./guardians/guardianKinds.js";
export * from "./state/index.js";
export * from "./tokens/index.js";
export * from "./deploy/constants.js";
export * from "./smartAccount/toCustosSmartAccount.js";
export * from "./smartAccount/recoveryUserOps.js";
export * from "./smartAccount/bundler.js";
export * from "./smartAccount/signing.js";
export * from "./userop/errors.js";
export * from "./userop/lifecycle.js";
export * from "./backup/index.js";
