import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mnemonicToAccount } from "viem/accounts";
import {
  BadChecksumError,
  EmptyInputError,
  UnknownWordError,
  WordCountError,
  deriveOwnerAddress,
  deriveOwnerPrivateKey,
  generateMnemonic,
  parseMnemonic,
} from "../../../custos/backup/index.js";

const ABANDON_12 = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("B1 seed: generate", () => {
  it("generates a valid 12-word mnemonic by default", () => {
    const words = generateMnemonic();
    assert.equal(words.split(" ").length, 12);
    assert.equal(parseMnemonic(words), words);
  });

  it("generates a valid 24-word mnemonic on request", () => {
    const words = generateMnemonic(24);
    assert.equal(words.split(" ").length, 24);
    assert.equal(parseMnemonic(words), words);
  });

  it("never generates the same mnemonic twice", () => {
    assert.notEqual(generateMnemonic(), generateMnemonic());
  });
});

describe("B1 seed: owner key at m/44'/60'/0'/0/0", () => {
  it("derives the well-known address of the BIP39 test mnemonic", () => {
    assert.equal(deriveOwnerAddress(ABANDON_12), "0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
  });

  it("gives the same address as viem's mnemonicToAccount", () => {
    const words = generateMnemonic(24);
    assert.equal(deriveOwnerAddress(words), mnemonicToAccount(words).address);
  });

  it("gives the same address as viem's mnemonicToAccount with a BIP39 passphrase", () => {
    const words = generateMnemonic();
    assert.equal(deriveOwnerAddress(words, "tresor"), mnemonicToAccount(words, { passphrase: "tresor" }).address);
  });

  it("derives another key when a BIP39 passphrase is used", () => {
    assert.notEqual(deriveOwnerAddress(ABANDON_12, "x"), deriveOwnerAddress(ABANDON_12));
  });

  it("returns a 32-byte private key", () => {
    assert.match(deriveOwnerPrivateKey(ABANDON_12), /^0x[0-9a-f]{64}$/);
  });
});

describe("B7 bad words", () => {
  it("accepts capitals and extra spaces", () => {
    assert.equal(parseMnemonic(`  ${ABANDON_12.toUpperCase().replaceAll(" ", "   ")}\n`), ABANDON_12);
  });

  it("rejects a bad checksum with BadChecksumError", () => {
    const words = ABANDON_12.replace(/about$/, "abandon");
    assert.throws(() => parseMnemonic(words), BadChecksumError);
  });

  it("rejects two swapped words with BadChecksumError", () => {
    // A BIP39 test vector whose first two words, swapped, break the checksum (a random phrase keeps a
    // valid checksum after a swap one time in sixteen, so the phrase is fixed).
    const words = "legal winner thank year wave sausage worth useful legal winner thank yellow".split(" ");
    assert.equal(parseMnemonic(words.join(" ")), words.join(" "));
    const swapped = [words[1], words[0], ...words.slice(2)].join(" ");
    assert.throws(() => parseMnemonic(swapped), BadChecksumError);
  });

  it("rejects a word not in the list, naming its position and suggesting the nearest word", () => {
    const words = ABANDON_12.replace(/about$/, "abuot");
    assert.throws(
      () => parseMnemonic(words),
      (error: unknown) =>
        error instanceof UnknownWordError &&
        error.position === 12 &&
        error.word === "abuot" &&
        error.suggestions.includes("about") &&
        /Word 12 "abuot" is not a BIP39 word\. Did you mean .*"about"/.test(error.message),
    );
  });

  it("suggests the word sharing the first four letters (BIP39 words are unique by them)", () => {
    assert.throws(
      () => parseMnemonic(ABANDON_12.replace(/^abandon/, "abandonn")),
      (error: unknown) => error instanceof UnknownWordError && error.suggestions.join() === "abandon",
    );
  });

  it("rejects a wrong number of words with WordCountError", () => {
    assert.throws(() => parseMnemonic(ABANDON_12.split(" ").slice(0, 11).join(" ")), WordCountError);
  });

  it("rejects an empty phrase with EmptyInputError", () => {
    assert.throws(() => parseMnemonic("  \n "), EmptyInputError);
  });

  it("refuses to derive a key from invalid words", () => {
    assert.throws(() => deriveOwnerAddress(ABANDON_12.replace("about", "abuot")), UnknownWordError);
  });
});
