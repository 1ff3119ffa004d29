import { utf8ToBytes } from "@noble/ciphers/utils.js";
import { checkScryptParams, type ScryptParams } from "./kdf.js";
import { CorruptKitError, EmptyInputError, TruncatedKitError, UnsupportedVersionError } from "./errors.js";

/** The `format` field that marks a Custos recovery kit. */
export const KIT_FORMAT = "custos-recovery-kit";
/** The format version new kits are written in: 2 (guardians with contact notes). */
export const KIT_VERSION = 2;
/** Every format version this code reads: 1 (guardian names only) and 2. */
export const KIT_VERSIONS = [1, 2] as const;
export type KitVersion = (typeof KIT_VERSIONS)[number];
export const CIPHER_NAME = "xchacha20-poly1305";
export const SALT_BYTES = 16;
export const NONCE_BYTES = 24;
/** Poly1305 tag length: the smallest possible ciphertext. */
export const TAG_BYTES = 16;
/**
 * A real kit is about 2 KiB; the largest valid one (32 guardians with the longest names and contact
 * notes in 4-byte characters) is about 70 KiB. Anything larger is refused unread.
 */
export const MAX_KIT_CHARS = 128 * 1024;

/** Everything of a kit that is not secret; authenticated as the AEAD's associated data. */
export interface KitHeader {
  format: typeof KIT_FORMAT;
  version: KitVersion;
  kdf: ScryptParams & { salt: string };
  cipher: { name: typeof CIPHER_NAME; nonce: string };
}

export interface ParsedKit {
  header: KitHeader;
  salt: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

const HEADER_KEYS = ["format", "version", "kdf", "cipher", "ciphertext"];
const KDF_KEYS = ["name", "N", "r", "p", "dkLen", "salt"];
const CIPHER_KEYS = ["name", "nonce"];

/** The header in canonical form: fixed key order, no whitespace. Both writer and reader use this. */
export function canonicalHeader(header: KitHeader): KitHeader {
  const { name, N, r, p, dkLen, salt } = header.kdf;
  return {
    format: KIT_FORMAT,
    version: header.version,
    kdf: { name, N, r, p, dkLen, salt },
    cipher: { name: header.cipher.name, nonce: header.cipher.nonce },
  };
}

/** Associated data of the AEAD: UTF-8 of the canonical header JSON. */
export function headerAad(header: KitHeader): Uint8Array {
  return utf8ToBytes(JSON.stringify(canonicalHeader(header)));
}

/** The file text: canonical header plus ciphertext, pretty-printed, lowercase hex. */
export function serializeKit(header: KitHeader, ciphertext: Uint8Array): string {
  return JSON.stringify({ ...canonicalHeader(header), ciphertext: toHex(ciphertext) }, null, 2) + "\n";
}

/**
 * Parses the file without any key: structure, version, KDF bounds, lengths. Every deviation is a
 * typed error; nothing here costs more than reading the text.
 */
export function parseKit(text: string): ParsedKit {
  if (text.trim() === "") throw new EmptyInputError("recovery kit file");
  if (text.length > MAX_KIT_CHARS) throw new CorruptKitError(`larger than ${MAX_KIT_CHARS / 1024} KiB`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith("{") && !text.trimEnd().endsWith("}")) throw new TruncatedKitError();
    throw new CorruptKitError(trimmed.startsWith("{") ? "invalid JSON" : "not a Custos recovery kit", { cause });
  }
  const kit = object(raw, "the file");
  if (kit.format !== KIT_FORMAT) throw new CorruptKitError("not a Custos recovery kit");
  if (!isKitVersion(kit.version)) throw new UnsupportedVersionError(kit.version);
  const version = kit.version;
  exactKeys(kit, HEADER_KEYS, "the file");
  const kdf = object(kit.kdf, "kdf");
  exactKeys(kdf, KDF_KEYS, "kdf");
  const cipher = object(kit.cipher, "cipher");
  exactKeys(cipher, CIPHER_KEYS, "cipher");
  if (cipher.name !== CIPHER_NAME) throw new CorruptKitError(`unknown cipher ${JSON.stringify(cipher.name)}`);

  const params = checkScryptParams(kdf);
  const salt = fromHex(kdf.salt, "salt", SALT_BYTES);
  const nonce = fromHex(cipher.nonce, "nonce", NONCE_BYTES);
  const ciphertext = fromHex(kit.ciphertext, "ciphertext");
  if (ciphertext.length <= TAG_BYTES) throw new CorruptKitError("ciphertext too short");
  const header: KitHeader = {
    format: KIT_FORMAT,
    version,
    kdf: { ...params, salt: kdf.salt as string },
    cipher: { name: CIPHER_NAME, nonce: cipher.nonce as string },
  };
  return { header, salt, nonce, ciphertext };
}

function isKitVersion(value: unknown): value is KitVersion {
  return (KIT_VERSIONS as readonly unknown[]).includes(value);
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CorruptKitError(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

function exactKeys(value: Record<string, unknown>, keys: readonly string[], what: string): void {
  const actual = Object.keys(value);
  const unexpected = actual.find((k) => !keys.includes(k));
  if (unexpected !== undefined) throw new CorruptKitError(`unexpected field "${unexpected}" in ${what}`);
  const missing = keys.find((k) => !actual.includes(k));
  if (missing !== undefined) throw new CorruptKitError(`field "${missing}" missing in ${what}`);
}

/** Lowercase hex only, so every change of a character changes the bytes or is refused. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(value: unknown, what: string, length?: number): Uint8Array {
  if (typeof value !== "string" || !/^(?:[0-9a-f]{2})*$/.test(value)) {
    throw new CorruptKitError(`${what} is not lowercase hex`);
  }
  const bytes = new Uint8Array(value.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(value.slice(2 * i, 2 * i + 2), 16);
  if (length !== undefined && bytes.length !== length) throw new CorruptKitError(`${what} must be ${length} bytes`);
  return bytes;
}
