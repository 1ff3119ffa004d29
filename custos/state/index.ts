export * from "./events.js";
export * from "./readConfig.js";
export * from "./readAccountState.js";
export * from "./findAccounts.js";
export * from "./chainTime.js";
export * from "./describeEvent.js";
export * from "./logs.js";
export * from "./logIndex.js";
