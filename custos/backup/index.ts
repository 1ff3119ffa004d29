/**
 * Seed backup (SPEC §4, B1–B7): BIP39 owner seed, encrypted recovery kit, dry-run verification
 * against the chain, restore, paper form. Pure TypeScript for Node and the browser.
 */
export * from "./errors.js";
export * from "./mnemonic.js";
export * from "./password.js";
export * from "./context.js";
export * from "./addressBook.js";
export { DEFAULT_SCRYPT, MIN_SCRYPT_WORK, MAX_SCRYPT_WORK, MAX_SCRYPT_MEMORY, checkScryptParams } from "./kdf.js";
export type { ScryptParams } from "./kdf.js";
export { KIT_FORMAT, KIT_VERSION, KIT_VERSIONS, MAX_KIT_CHARS, parseKit } from "./format.js";
export type { KitHeader, KitVersion, ParsedKit } from "./format.js";
export * from "./kit.js";
export * from "./chain.js";
export * from "./paper.js";
export * from "./quiz.js";
export { editDistance, suggestWords } from "./suggest.js";
