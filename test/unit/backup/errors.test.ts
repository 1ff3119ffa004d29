import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as backup from "../../../custos/backup/index.js";
import { CustosError } from "../../../custos/errors.js";

const samples: backup.BackupError[] = [
  new backup.EmptyInputError("recovery kit file"),
  new backup.WrongPasswordError(),
  new backup.CorruptKitError("invalid JSON"),
  new backup.TruncatedKitError(),
  new backup.UnsupportedVersionError(3),
  new backup.UnsupportedKdfError("KDF_TOO_WEAK", "scrypt N=2^10 r=8 p=1"),
  new backup.UnsupportedKdfError("KDF_TOO_STRONG", "scrypt N=2^30 r=8 p=1"),
  new backup.WrongChainError(1, 31337),
  new backup.WrongAccountError(
    "0x1111111111111111111111111111111111111111",
    "0x2222222222222222222222222222222222222222",
  ),
  new backup.OwnerMismatchError(
    "0x1111111111111111111111111111111111111111",
    1,
    "0x2222222222222222222222222222222222222222",
    "0x3333333333333333333333333333333333333333",
  ),
  new backup.AccountNotFoundError("0x1111111111111111111111111111111111111111", 1),
  new backup.BadChecksumError(),
  new backup.UnknownWordError("abuot", 12, ["about"]),
  new backup.WordCountError(11),
  new backup.PassphraseRequiredError(),
  new backup.WeakPasswordError(1, "too short"),
  new backup.InvalidContextError("bad threshold"),
  new backup.ContactTooLongError(2, 201, 200),
  new backup.OutputExistsError("kit.json"),
  new backup.QuizMismatchError([3]),
];

describe("B7 typed errors", () => {
  it("every backup error extends BackupError and CustosError with a stable code and a one-line message", () => {
    for (const error of samples) {
      assert.ok(error instanceof backup.BackupError && error instanceof CustosError, error.name);
      assert.match(error.code, /^[A-Z_]+$/);
      assert.ok(error.message.length > 10 && !error.message.includes("\n"), error.message);
      assert.equal(error.message, error.shortMessage);
    }
  });

  it("every error class has its own code", () => {
    const codes = samples.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length);
  });

  it("names the chains in a wrong-chain error", () => {
    assert.equal(
      new backup.WrongChainError(1, 31337).message,
      "This recovery kit is for chain 1, but you are connected to chain 31337.",
    );
  });
});
