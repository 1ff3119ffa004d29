import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scrypt } from "@noble/hashes/scrypt.js";
import {
  DEFAULT_SCRYPT,
  MAX_SCRYPT_MEMORY,
  MIN_SCRYPT_WORK,
  UnsupportedKdfError,
  checkScryptParams,
} from "../../../custos/backup/index.js";

describe("B3 memory-hard KDF parameters", () => {
  it("defaults to scrypt N=2^17 r=8 p=1 (128 MiB)", () => {
    assert.deepEqual(DEFAULT_SCRYPT, { name: "scrypt", N: 131072, r: 8, p: 1, dkLen: 32 });
    assert.equal(128 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r, 128 * 1024 * 1024);
  });

  it("accepts the default and the minimum", () => {
    assert.deepEqual(checkScryptParams({ ...DEFAULT_SCRYPT }), DEFAULT_SCRYPT);
    assert.doesNotThrow(() => checkScryptParams({ ...DEFAULT_SCRYPT, N: MIN_SCRYPT_WORK / 8 }));
  });

  it("refuses memory above the cap even when the work is allowed", () => {
    assert.ok(128 * 2 ** 16 * 64 > MAX_SCRYPT_MEMORY);
    assert.throws(
      () => checkScryptParams({ ...DEFAULT_SCRYPT, N: 2 ** 16, r: 64 }),
      (e: unknown) => e instanceof UnsupportedKdfError && e.code === "KDF_TOO_STRONG",
    );
  });

  it("reports the derivation time of the default parameters in Node (the browser bound is tested in Chromium)", (t) => {
    const start = performance.now();
    const key = scrypt("password", new Uint8Array(16), DEFAULT_SCRYPT);
    const elapsed = performance.now() - start;
    t.diagnostic(`Node ${process.version}: scrypt N=2^17 r=8 p=1 took ${Math.round(elapsed)} ms`);
    assert.equal(key.length, 32);
  });
});
