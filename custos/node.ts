/**
 * The Node-only front door of the Custos client library: deployments/<network>.json on disk, compiled
 * artifacts, the deterministic deployer, and the CLI's file and secret-prompt helpers. Scripts, the
 * server and tests import it beside custos/index.ts; the dApp's client bundles never do (it reads node:fs).
 */
export * from "./deployments.js";
export * from "./deploy/artifacts.js";
export * from "./deploy/deployCustos.js";
export * from "./backup/node.js";
