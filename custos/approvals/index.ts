export * from "./typedData.js";
export * from "./signatureBlob.js";
export * from "./types.js";
export * from "./build.js";
export * from "./sign.js";
export * from "./verify.js";
export * from "./aggregate.js";
export * from "./portable.js";
