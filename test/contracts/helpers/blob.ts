import { concat, getBytes, hexlify, toBeHex, zeroPadValue, type BytesLike } from "ethers";

export const OWNER_INDEX = 255;
export const KIND_ECDSA = 0;
export const KIND_ERC1271 = 1;

/** secp256k1 group order, to build high-s signatures. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export interface BlobEntry {
  index: number;
  kind?: number;
  signature: BytesLike;
}

/** Encodes entries in the given order as `index | kind | length (uint16 BE) | signature`. */
export function encodeBlob(entries: readonly BlobEntry[]): string {
  if (entries.length === 0) return "0x";
  return concat(
    entries.map(({ index, kind = KIND_ECDSA, signature }) => {
      const body = getBytes(signature);
      return concat([toBeHex(index, 1), toBeHex(kind, 1), zeroPadValue(toBeHex(body.length), 2), body]);
    }),
  );
}

/** The same signature with s replaced by n − s and v flipped: valid for ecrecover, rejected as high-s. */
export function toHighS(signature: BytesLike): string {
  const bytes = getBytes(signature);
  const s = BigInt(hexlify(bytes.slice(32, 64)));
  const v = bytes[64]!;
  return concat([bytes.slice(0, 32), toBeHex(SECP256K1_N - s, 32), toBeHex(v === 27 ? 28 : 27, 1)]);
}

/** The same signature with another v byte. */
export function withV(signature: BytesLike, v: number): string {
  const bytes = getBytes(signature);
  return concat([bytes.slice(0, 64), toBeHex(v, 1)]);
}
