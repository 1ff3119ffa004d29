import { scryptAsync } from "@noble/hashes/scrypt.js";
import { UnsupportedKdfError } from "./errors.js";

/** scrypt parameters as stored in a kit header. The salt is stored beside them. */
export interface ScryptParams {
  name: "scrypt";
  N: number;
  r: number;
  p: number;
  dkLen: 32;
}

/**
 * Default cost: N = 2^17, r = 8, p = 1 — 128 MiB of memory, ≈ 0.35 s in Node 22 and ≈ 0.4–0.5 s
 * in Chromium (docs/backup-format.md has the measurements). Every guess of an attacker costs the same.
 */
export const DEFAULT_SCRYPT: ScryptParams = { name: "scrypt", N: 2 ** 17, r: 8, p: 1, dkLen: 32 };

/** Refused below this work (N·r·p): half the default. */
export const MIN_SCRYPT_WORK = 2 ** 19;
/** Refused above this work (N·r·p): four times the default, a few seconds on a laptop. */
export const MAX_SCRYPT_WORK = 2 ** 22;
/** Refused above this memory (128·N·r bytes): 256 MiB, so a crafted kit cannot exhaust a phone. */
export const MAX_SCRYPT_MEMORY = 2 ** 28;

const isPowerOfTwo = (n: number) => Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;
const isSmallPositive = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 1 && n <= 64;

/** Accepts only scrypt parameters inside the bounds above; anything else is refused before any work. */
export function checkScryptParams(kdf: Record<string, unknown>): ScryptParams {
  if (kdf.name !== "scrypt") throw new UnsupportedKdfError("KDF_UNSUPPORTED", `KDF ${JSON.stringify(kdf.name)}`);
  const { N, r, p, dkLen } = kdf;
  if (typeof N !== "number" || !isPowerOfTwo(N) || !isSmallPositive(r) || !isSmallPositive(p) || dkLen !== 32) {
    throw new UnsupportedKdfError("KDF_UNSUPPORTED", `scrypt N=${N} r=${r} p=${p} dkLen=${dkLen}`);
  }
  const params: ScryptParams = { name: "scrypt", N, r: r as number, p: p as number, dkLen: 32 };
  const work = params.N * params.r * params.p;
  const summary = `scrypt N=2^${Math.log2(N)} r=${params.r} p=${params.p}`;
  if (work < MIN_SCRYPT_WORK) throw new UnsupportedKdfError("KDF_TOO_WEAK", summary);
  if (work > MAX_SCRYPT_WORK || 128 * params.N * params.r > MAX_SCRYPT_MEMORY) {
    throw new UnsupportedKdfError("KDF_TOO_STRONG", summary);
  }
  return params;
}

/**
 * The 32-byte key of a password: scrypt over the NFKC-normalised UTF-8 password (the same
 * password typed on any keyboard or OS gives the same key). Yields to the event loop while working.
 */
export function deriveKey(
  password: string,
  salt: Uint8Array,
  params: ScryptParams,
  onProgress?: (fraction: number) => void,
): Promise<Uint8Array> {
  const { N, r, p, dkLen } = checkScryptParams({ ...params });
  return scryptAsync(password.normalize("NFKC"), salt, { N, r, p, dkLen, onProgress, maxmem: MAX_SCRYPT_MEMORY * 2 });
}
