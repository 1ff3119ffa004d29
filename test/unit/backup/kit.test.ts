import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  BackupError,
  CorruptKitError,
  EmptyInputError,
  InvalidContextError,
  MAX_KIT_CHARS,
  OLD_KIT_NOTICE,
  TruncatedKitError,
  UnknownWordError,
  UnsupportedKdfError,
  UnsupportedVersionError,
  WeakPasswordError,
  WrongPasswordError,
  changeKitPassword,
  decryptKit,
  deriveKitKey,
  encryptKit,
  openKit,
  parseKit,
} from "../../../custos/backup/index.js";
import { VECTOR_1, VECTOR_2 } from "./fixtures/vectors.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const KIT_1 = fixture("vector-1.custos-kit.json");
const KIT_2 = fixture("vector-2.custos-kit.json");
const FAST = { kdf: VECTOR_2.kdf };

/** Replaces a JSON field of the kit without re-encrypting it. */
function edit(kit: string, change: (raw: Record<string, Record<string, unknown>>) => void): string {
  const raw = JSON.parse(kit) as Record<string, Record<string, unknown>>;
  change(raw);
  return JSON.stringify(raw, null, 2);
}

describe("B3 recovery kit: test vectors", () => {
  it("vector 1 (default scrypt N=2^17) encrypts to exactly the published file", async () => {
    const kit = await encryptKit(VECTOR_1.backup, VECTOR_1.password, {
      version: 1,
      salt: VECTOR_1.salt,
      nonce: VECTOR_1.nonce,
    });
    assert.equal(kit, KIT_1);
  });

  it("vector 1 decrypts to its backup", async () => {
    assert.deepEqual(await decryptKit(KIT_1, VECTOR_1.password), VECTOR_1.backup);
  });

  it("vector 2 (24 words, passphrase flag, N=2^16) encrypts to exactly the published file", async () => {
    const kit = await encryptKit(VECTOR_2.backup, VECTOR_2.password, {
      version: 1,
      kdf: VECTOR_2.kdf,
      salt: VECTOR_2.salt,
      nonce: VECTOR_2.nonce,
    });
    assert.equal(kit, KIT_2);
  });

  it("vector 2 decrypts to its backup", async () => {
    assert.deepEqual(await decryptKit(KIT_2, VECTOR_2.password), VECTOR_2.backup);
  });

  it("vector 1 derives the published scrypt key", async () => {
    const key = await deriveKitKey(parseKit(KIT_1), VECTOR_1.password);
    assert.equal(Buffer.from(key).toString("hex"), "721265e9d81adf186a6974cba7372d213e3638af16b82a9de7169d5ebaaab79e");
  });
});

describe("B3 recovery kit: encryption", () => {
  it("uses a fresh salt and nonce every time", async () => {
    const a = parseKit(await encryptKit(VECTOR_2.backup, VECTOR_2.password, FAST));
    const b = parseKit(await encryptKit(VECTOR_2.backup, VECTOR_2.password, FAST));
    assert.notDeepEqual(a.salt, b.salt);
    assert.notDeepEqual(a.nonce, b.nonce);
  });

  it("stores the words and recovery details only encrypted", () => {
    assert.doesNotMatch(KIT_1, /abandon|1111111111|Alice|31337/);
  });

  it("never stores a BIP39 passphrase, only the flag", async () => {
    const backup = await decryptKit(KIT_2, VECTOR_2.password);
    assert.equal(backup.hasPassphrase, true);
    assert.deepEqual(Object.keys(backup).sort(), ["context", "hasPassphrase", "mnemonic"]);
  });

  it("refuses a weak backup password", async () => {
    await assert.rejects(encryptKit(VECTOR_2.backup, "password1234", FAST), WeakPasswordError);
  });

  it("refuses an empty backup password", async () => {
    await assert.rejects(encryptKit(VECTOR_2.backup, "", FAST), EmptyInputError);
  });

  it("refuses invalid words before encrypting them", async () => {
    const backup = { ...VECTOR_2.backup, mnemonic: VECTOR_2.backup.mnemonic.replace(/art$/, "arrt") };
    await assert.rejects(encryptKit(backup, VECTOR_2.password, FAST), UnknownWordError);
  });

  it("refuses a threshold above the number of guardians", async () => {
    const backup = { ...VECTOR_2.backup, context: { ...VECTOR_2.backup.context, threshold: 1 } };
    await assert.rejects(encryptKit(backup, VECTOR_2.password, FAST), InvalidContextError);
  });

  it("refuses a guardian listed twice", async () => {
    const guardian = { address: "0x3333333333333333333333333333333333333333" as const };
    const backup = {
      ...VECTOR_2.backup,
      context: { ...VECTOR_2.backup.context, guardians: [guardian, guardian], threshold: 1 },
    };
    await assert.rejects(encryptKit(backup, VECTOR_2.password, FAST), InvalidContextError);
  });

  it("refuses to write KDF parameters it would refuse to read", async () => {
    await assert.rejects(
      encryptKit(VECTOR_2.backup, VECTOR_2.password, { kdf: { N: 2 ** 10, r: 8, p: 1 } }),
      UnsupportedKdfError,
    );
  });
});

describe("B7 recovery kit: bad input", () => {
  it("wrong password → WrongPasswordError", async () => {
    await assert.rejects(decryptKit(KIT_2, "vector-2 copper meadow sextanT"), WrongPasswordError);
  });

  it("empty password → EmptyInputError", async () => {
    await assert.rejects(decryptKit(KIT_2, ""), EmptyInputError);
  });

  it("empty file → EmptyInputError", async () => {
    await assert.rejects(decryptKit(" \n", VECTOR_2.password), EmptyInputError);
  });

  it("an oversized file → CorruptKitError before parsing", () => {
    const huge = KIT_2.replace(/"ciphertext": "/, `"ciphertext": "${"00".repeat(MAX_KIT_CHARS / 2)}`);
    assert.throws(() => parseKit(huge), /larger than 128 KiB/);
  });

  it("a file that is not a kit → CorruptKitError", async () => {
    await assert.rejects(decryptKit("hello", VECTOR_2.password), CorruptKitError);
    await assert.rejects(decryptKit('{"format":"other"}', VECTOR_2.password), CorruptKitError);
  });

  it("truncated at every length → TruncatedKitError or another BackupError, never a crash", () => {
    let truncated = 0;
    for (let length = 1; length < KIT_2.trimEnd().length; length++) {
      assert.throws(
        () => parseKit(KIT_2.slice(0, length)),
        (error: unknown) => {
          if (error instanceof TruncatedKitError) truncated++;
          return error instanceof BackupError;
        },
      );
    }
    assert.ok(truncated > KIT_2.length * 0.9);
  });

  it("a flipped bit in any byte of the file → a BackupError, never a crash or a wrong result", async () => {
    const original = parseKit(KIT_2);
    const key = await deriveKitKey(original, VECTOR_2.password);
    const bytes = new TextEncoder().encode(KIT_2);
    let fullDerivations = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const flipped = bytes.slice();
        flipped[i] ^= mask;
        const text = new TextDecoder().decode(flipped);
        let parsed;
        try {
          parsed = parseKit(text);
        } catch (error) {
          assert.ok(error instanceof BackupError, `byte ${i}: ${error}`);
          continue;
        }
        const sameKdf = JSON.stringify(parsed.header.kdf) === JSON.stringify(original.header.kdf);
        if (sameKdf) {
          assert.throws(() => openKit(parsed, key), WrongPasswordError, `byte ${i} mask ${mask}`);
        } else {
          fullDerivations++;
          await assert.rejects(decryptKit(text, VECTOR_2.password), WrongPasswordError, `byte ${i}`);
        }
      }
    }
    assert.ok(fullDerivations > 0, "salt or cost changes are caught by the authenticated header");
  });

  it("a changed nonce in the authenticated header → WrongPasswordError", async () => {
    const kit = edit(KIT_2, (raw) => {
      raw.cipher.nonce = "00".repeat(24);
    });
    await assert.rejects(decryptKit(kit, VECTOR_2.password), WrongPasswordError);
  });

  it("unknown version (3 and later, or not a number) → UnsupportedVersionError", async () => {
    for (const version of [3, 4, 99, 0, "2", null]) {
      const kit = edit(KIT_2, (raw) => {
        (raw as Record<string, unknown>).version = version;
      });
      await assert.rejects(decryptKit(kit, VECTOR_2.password), UnsupportedVersionError, JSON.stringify(version));
    }
  });

  it("an unexpected field → CorruptKitError", () => {
    const kit = edit(KIT_2, (raw) => {
      raw.kdf.extra = 1;
    });
    assert.throws(() => parseKit(kit), CorruptKitError);
  });

  it("too weak scrypt parameters → UnsupportedKdfError KDF_TOO_WEAK, before any work", () => {
    const kit = edit(KIT_2, (raw) => {
      raw.kdf.N = 2 ** 14;
    });
    assert.throws(
      () => parseKit(kit),
      (e: unknown) => e instanceof UnsupportedKdfError && e.code === "KDF_TOO_WEAK",
    );
  });

  it("absurdly strong scrypt parameters (denial of service) → UnsupportedKdfError KDF_TOO_STRONG", () => {
    for (const [N, r, p] of [
      [2 ** 30, 8, 1],
      [2 ** 17, 8, 64],
      [2 ** 20, 8, 1],
    ]) {
      const kit = edit(KIT_2, (raw) => Object.assign(raw.kdf, { N, r, p }));
      assert.throws(
        () => parseKit(kit),
        (e: unknown) => e instanceof UnsupportedKdfError && e.code === "KDF_TOO_STRONG",
        `N=${N} r=${r} p=${p}`,
      );
    }
  });

  it("another KDF or a non-power-of-two N → UnsupportedKdfError KDF_UNSUPPORTED", () => {
    for (const change of [{ name: "pbkdf2" }, { N: 100000 }, { r: 0 }, { dkLen: 16 }, { N: "131072" }]) {
      const kit = edit(KIT_2, (raw) => Object.assign(raw.kdf, change));
      assert.throws(
        () => parseKit(kit),
        (e: unknown) => e instanceof UnsupportedKdfError && e.code === "KDF_UNSUPPORTED",
        JSON.stringify(change),
      );
    }
  });

  it("uppercase hex (same bytes, different text) → CorruptKitError", () => {
    const kit = edit(KIT_2, (raw) => {
      (raw as Record<string, unknown>).ciphertext = (raw.ciphertext as unknown as string).toUpperCase();
    });
    assert.throws(() => parseKit(kit), CorruptKitError);
  });
});

describe("B6 change backup password", () => {
  it("re-encrypts under the new password with a fresh salt; the old file still opens with the old password", async () => {
    const newPassword = "another quite long sentence 42";
    const { kit, notice } = await changeKitPassword(KIT_2, VECTOR_2.password, newPassword, FAST);
    assert.equal(notice, OLD_KIT_NOTICE);
    assert.match(notice, /old recovery kit still opens with the old password/);
    assert.deepEqual(await decryptKit(kit, newPassword), VECTOR_2.backup);
    await assert.rejects(decryptKit(kit, VECTOR_2.password), WrongPasswordError);
    assert.deepEqual(await decryptKit(KIT_2, VECTOR_2.password), VECTOR_2.backup);
    assert.notDeepEqual(parseKit(kit).salt, parseKit(KIT_2).salt);
  });

  it("refuses a wrong old password", async () => {
    await assert.rejects(
      changeKitPassword(KIT_2, "not the password at all", "another quite long sentence 42", FAST),
      WrongPasswordError,
    );
  });

  it("refuses a weak new password", async () => {
    await assert.rejects(changeKitPassword(KIT_2, VECTOR_2.password, "123456789012", FAST), WeakPasswordError);
  });
});
