import type { Address } from "viem";
import { CustosError } from "../errors.js";

/**
 * Every backup failure (B7) is a BackupError: `code` is stable for programs, `message` is one
 * sentence for a person. None of them is thrown after anything was changed or overwritten.
 */
export class BackupError extends CustosError {
  override name = "BackupError";
}

/** The input (file, words, password) is empty. */
export class EmptyInputError extends BackupError {
  override name = "EmptyInputError";
  constructor(what: string) {
    super("EMPTY_INPUT", `The ${what} is empty.`);
  }
}

/** The password does not open the kit (or the kit was altered: AEAD cannot tell the two apart). */
export class WrongPasswordError extends BackupError {
  override name = "WrongPasswordError";
  constructor() {
    super(
      "WRONG_PASSWORD",
      "Wrong backup password, or the recovery kit was modified: it cannot be decrypted. " +
        "Without the right backup password this file cannot be opened by anyone.",
    );
  }
}

/** The file is not a well-formed recovery kit: altered, cut short or not a kit at all. */
export class CorruptKitError extends BackupError {
  override name = "CorruptKitError";
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super("CORRUPT_KIT", `This recovery kit is damaged or was modified (${reason}).`, options);
  }
}

/** The file ends early: it was cut while copying or downloading. */
export class TruncatedKitError extends BackupError {
  override name = "TruncatedKitError";
  constructor() {
    super("TRUNCATED_KIT", "This recovery kit is incomplete (the file was cut short); use another copy.");
  }
}

/** A kit written by a newer (or unknown) version of Custos. */
export class UnsupportedVersionError extends BackupError {
  override name = "UnsupportedVersionError";
  constructor(readonly version: unknown) {
    super(
      "UNSUPPORTED_VERSION",
      `This recovery kit has format version ${JSON.stringify(version)}, which this version of Custos cannot read; ` +
        "update Custos and try again.",
    );
  }
}

/** KDF parameters below the minimum (weak against guessing) or above the maximum (denial of service). */
export class UnsupportedKdfError extends BackupError {
  override name = "UnsupportedKdfError";
  constructor(
    code: "KDF_TOO_WEAK" | "KDF_TOO_STRONG" | "KDF_UNSUPPORTED",
    readonly detail: string,
  ) {
    const why =
      code === "KDF_TOO_WEAK"
        ? "too weak to protect the words"
        : code === "KDF_TOO_STRONG"
          ? "so costly that opening it could freeze this device"
          : "not supported";
    super(code, `The key-derivation settings of this recovery kit are ${why} (${detail}); it is refused.`);
  }
}

/** The kit belongs to another chain than the one connected. */
export class WrongChainError extends BackupError {
  override name = "WrongChainError";
  constructor(
    readonly kitChainId: number,
    readonly connectedChainId: number,
  ) {
    super(
      "WRONG_CHAIN",
      `This recovery kit is for chain ${kitChainId}, but you are connected to chain ${connectedChainId}.`,
    );
  }
}

/** The kit belongs to another account than the one expected. */
export class WrongAccountError extends BackupError {
  override name = "WrongAccountError";
  constructor(
    readonly kitAccount: Address,
    readonly expectedAccount: Address,
  ) {
    super("WRONG_ACCOUNT", `This recovery kit is for account ${kitAccount}, not for account ${expectedAccount}.`);
  }
}

/** The account exists but its owner is not the key of these words. */
export class OwnerMismatchError extends BackupError {
  override name = "OwnerMismatchError";
  constructor(
    readonly account: Address,
    readonly chainId: number,
    readonly backupOwner: Address,
    readonly onChainOwner: Address,
  ) {
    super(
      "OWNER_MISMATCH",
      `This backup does NOT match: account ${account} on chain ${chainId} is owned by ${onChainOwner}, ` +
        `but the backup's words give ${backupOwner}.`,
    );
  }
}

/** No Custos account is deployed at the address. */
export class AccountNotFoundError extends BackupError {
  override name = "AccountNotFoundError";
  constructor(
    readonly account: Address,
    readonly chainId: number,
  ) {
    super(
      "ACCOUNT_NOT_FOUND",
      `There is no Custos account at ${account} on chain ${chainId} (not deployed yet, or a wrong address).`,
    );
  }
}

/** The words' checksum fails: a word is wrong or two are swapped. */
export class BadChecksumError extends BackupError {
  override name = "BadChecksumError";
  constructor() {
    super(
      "BAD_CHECKSUM",
      "These words are all valid but their checksum fails: a word is misspelt into another valid word, " +
        "or two words are swapped. Check them against your paper backup.",
    );
  }
}

/** A word is not one of the 2048 BIP39 English words. */
export class UnknownWordError extends BackupError {
  override name = "UnknownWordError";
  constructor(
    readonly word: string,
    readonly position: number,
    readonly suggestions: readonly string[],
  ) {
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?` : "";
    super("UNKNOWN_WORD", `Word ${position} "${word}" is not a BIP39 word.${hint}`);
  }
}

/** A mnemonic must have 12, 15, 18, 21 or 24 words. */
export class WordCountError extends BackupError {
  override name = "WordCountError";
  constructor(readonly count: number) {
    super("WORD_COUNT", `A recovery phrase has 12, 15, 18, 21 or 24 words; this one has ${count}.`);
  }
}

/** The kit says a BIP39 passphrase is part of the seed but none was given. */
export class PassphraseRequiredError extends BackupError {
  override name = "PassphraseRequiredError";
  constructor() {
    super(
      "PASSPHRASE_REQUIRED",
      "This backup uses a BIP39 passphrase (it is not stored in the kit); enter it to derive the owner key.",
    );
  }
}

/** The backup password is too short or too easy to guess. */
export class WeakPasswordError extends BackupError {
  override name = "WeakPasswordError";
  constructor(
    readonly score: number,
    reason: string,
  ) {
    super("WEAK_PASSWORD", `This backup password is too weak: ${reason}`);
  }
}

/** The recovery context inside a kit (or given to create one) is not valid. */
export class InvalidContextError extends BackupError {
  override name = "InvalidContextError";
  constructor(reason: string) {
    super("INVALID_CONTEXT", `The recovery details are invalid: ${reason}.`);
  }
}

/** A guardian's contact note (phone, e-mail…) is longer than a kit may hold. */
export class ContactTooLongError extends BackupError {
  override name = "ContactTooLongError";
  constructor(
    readonly guardian: number,
    readonly length: number,
    readonly maxLength: number,
  ) {
    super(
      "CONTACT_TOO_LONG",
      `The contact note of guardian ${guardian} has ${length} characters; at most ${maxLength} fit in a recovery kit.`,
    );
  }
}

/** The CLI refuses to replace an existing file without --force. */
export class OutputExistsError extends BackupError {
  override name = "OutputExistsError";
  constructor(readonly path: string) {
    super("OUTPUT_EXISTS", `${path} already exists; nothing was written (use --force to replace it).`);
  }
}
