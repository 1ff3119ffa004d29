import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { normalizeContext, type KitGuardian, type RecoveryBackup } from "./context.js";
import { CorruptKitError, EmptyInputError, InvalidContextError, WrongPasswordError } from "./errors.js";
import {
  CIPHER_NAME,
  KIT_FORMAT,
  KIT_VERSION,
  NONCE_BYTES,
  SALT_BYTES,
  headerAad,
  parseKit,
  serializeKit,
  toHex,
  type KitHeader,
  type KitVersion,
  type ParsedKit,
} from "./format.js";
import { DEFAULT_SCRYPT, checkScryptParams, deriveKey, type ScryptParams } from "./kdf.js";
import { parseMnemonic } from "./mnemonic.js";
import { assertStrongBackupPassword } from "./password.js";

export interface EncryptOptions {
  /** scrypt cost; must lie within the accepted bounds. Default DEFAULT_SCRYPT. */
  kdf?: Pick<ScryptParams, "N" | "r" | "p">;
  /** Fixed salt and nonce, only for test vectors: fresh random values otherwise. */
  salt?: Uint8Array;
  nonce?: Uint8Array;
  /**
   * Format version to write. Default KIT_VERSION (2). Version 1 exists only to reproduce old test
   * vectors: it cannot hold contact notes, and a backup with any is refused rather than cut.
   */
  version?: KitVersion;
  onProgress?: (fraction: number) => void;
}

/** A guardian entry of the payload in a fixed key order: address, then name and contact when present. */
function encodeGuardian(g: KitGuardian): KitGuardian {
  return {
    address: g.address,
    ...(g.name === undefined ? {} : { name: g.name }),
    ...(g.contact === undefined ? {} : { contact: g.contact }),
  };
}

/** The plaintext JSON inside a kit of `version`, in a fixed key order. */
function encodePayload(backup: RecoveryBackup, version: KitVersion): Uint8Array {
  const context = normalizeContext(backup.context);
  const { account, chainId, factory, guardians, threshold, delays, createdAt } = context;
  if (version === 1 && guardians.some((g) => g.contact !== undefined)) {
    throw new InvalidContextError("format version 1 cannot hold guardian contact notes");
  }
  const payload = {
    mnemonic: parseMnemonic(backup.mnemonic),
    hasPassphrase: backup.hasPassphrase,
    context: {
      account,
      chainId,
      factory,
      guardians: guardians.map(encodeGuardian),
      threshold,
      delays: {
        recoveryDelay: delays.recoveryDelay,
        securityPeriod: delays.securityPeriod,
        securityWindow: delays.securityWindow,
        lockPeriod: delays.lockPeriod,
      },
      createdAt,
    },
  };
  return new TextEncoder().encode(JSON.stringify(payload));
}

/** The payload of a kit of `version`; a version 1 kit yields guardians without contact notes. */
function decodePayload(bytes: Uint8Array, version: KitVersion): RecoveryBackup {
  try {
    const raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as Record<string, unknown>;
    if (typeof raw.mnemonic !== "string" || typeof raw.hasPassphrase !== "boolean") throw new Error("fields missing");
    return {
      mnemonic: parseMnemonic(raw.mnemonic),
      hasPassphrase: raw.hasPassphrase,
      context: normalizeContext(raw.context, { contacts: version >= 2 }),
    };
  } catch (cause) {
    // Authenticated but unreadable: written by faulty software, not by a password or transfer error.
    throw new CorruptKitError("its decrypted contents are invalid", { cause });
  }
}

/**
 * Encrypts a backup into the text of a recovery kit (B3). The backup password must be strong
 * (assertStrongBackupPassword); the words and recovery details are validated first.
 */
export async function encryptKit(
  backup: RecoveryBackup,
  password: string,
  options: EncryptOptions = {},
): Promise<string> {
  const version = options.version ?? KIT_VERSION;
  const plaintext = encodePayload(backup, version);
  assertStrongBackupPassword(password, [backup.context.account]);
  const params = checkScryptParams({ ...DEFAULT_SCRYPT, ...options.kdf });
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  const nonce = options.nonce ?? randomBytes(NONCE_BYTES);
  if (salt.length !== SALT_BYTES || nonce.length !== NONCE_BYTES) {
    throw new RangeError(`salt must be ${SALT_BYTES} bytes and nonce ${NONCE_BYTES} bytes`);
  }
  const header: KitHeader = {
    format: KIT_FORMAT,
    version,
    kdf: { ...params, salt: toHex(salt) },
    cipher: { name: CIPHER_NAME, nonce: toHex(nonce) },
  };
  const key = await deriveKey(password, salt, params, options.onProgress);
  try {
    return serializeKit(header, xchacha20poly1305(key, nonce, headerAad(header)).encrypt(plaintext));
  } finally {
    key.fill(0);
    plaintext.fill(0);
  }
}

/** Derives the key of a parsed kit (the slow, memory-hard step). */
export function deriveKitKey(kit: ParsedKit, password: string, onProgress?: (fraction: number) => void) {
  if (password.length === 0) throw new EmptyInputError("backup password");
  return deriveKey(password, kit.salt, kit.header.kdf, onProgress);
}

/** Opens a parsed kit with its derived key; any changed bit of header or ciphertext fails here. */
export function openKit(kit: ParsedKit, key: Uint8Array): RecoveryBackup {
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(key, kit.nonce, headerAad(kit.header)).decrypt(kit.ciphertext);
  } catch {
    throw new WrongPasswordError();
  }
  try {
    return decodePayload(plaintext, kit.header.version);
  } finally {
    plaintext.fill(0);
  }
}

/** Decrypts the text of a recovery kit (B5). Typed errors for every bad input (B7). */
export async function decryptKit(
  text: string,
  password: string,
  options: { onProgress?: (fraction: number) => void } = {},
): Promise<RecoveryBackup> {
  const kit = parseKit(text);
  const key = await deriveKitKey(kit, password, options.onProgress);
  try {
    return openKit(kit, key);
  } finally {
    key.fill(0);
  }
}

/** What changeKitPassword returns: the new kit, and the warning every caller must show. */
export interface ChangedKit {
  kit: string;
  notice: string;
}

export const OLD_KIT_NOTICE =
  "The old recovery kit still opens with the old password: changing the password does not change old copies. " +
  "Delete every copy of the old file if the old password may be known to someone else.";

/**
 * Re-encrypts a kit under a new backup password with a fresh salt and nonce (B6). The old file is
 * untouched and stays valid with the old password. The new file is written in the current format
 * (KIT_VERSION): a version 1 kit becomes version 2 with the same contents (guardians without
 * contact notes), so every kit written from now on can carry them.
 */
export async function changeKitPassword(
  text: string,
  oldPassword: string,
  newPassword: string,
  options: EncryptOptions = {},
): Promise<ChangedKit> {
  const backup = await decryptKit(text, oldPassword);
  const kit = await encryptKit(backup, newPassword, options);
  return { kit, notice: OLD_KIT_NOTICE };
}
