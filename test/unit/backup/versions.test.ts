import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import {
  ContactTooLongError,
  InvalidContextError,
  KIT_VERSION,
  MAX_CONTACT_LENGTH,
  MAX_KIT_CHARS,
  WrongPasswordError,
  changeKitPassword,
  decryptKit,
  deriveKitKey,
  encryptKit,
  parseKit,
  type RecoveryBackup,
} from "../../../custos/backup/index.js";
import { headerAad, serializeKit } from "../../../custos/backup/format.js";
import { VECTOR_1, VECTOR_2, VECTOR_3 } from "./fixtures/vectors.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const KIT_1 = fixture("vector-1.custos-kit.json");
const KIT_2 = fixture("vector-2.custos-kit.json");
const KIT_3 = fixture("vector-3.custos-kit.json");
const FAST = { kdf: VECTOR_3.kdf };
const NEW_PASSWORD = "another quite long sentence 42";

function withVersion(kit: string, version: number): string {
  return JSON.stringify({ ...(JSON.parse(kit) as object), version }, null, 2) + "\n";
}

function withGuardians(backup: RecoveryBackup, guardians: RecoveryBackup["context"]["guardians"]): RecoveryBackup {
  return { ...backup, context: { ...backup.context, guardians, threshold: Math.min(1, guardians.length) } };
}

describe("B3 recovery kit format version 2: guardian contact notes", () => {
  it("vector 3 (version 2, contacts) encrypts to exactly the published file", async () => {
    const kit = await encryptKit(VECTOR_3.backup, VECTOR_3.password, {
      kdf: VECTOR_3.kdf,
      salt: VECTOR_3.salt,
      nonce: VECTOR_3.nonce,
    });
    assert.equal(kit, KIT_3);
    assert.equal(parseKit(kit).header.version, 2);
  });

  it("vector 3 decrypts to its backup, contacts included", async () => {
    assert.deepEqual(await decryptKit(KIT_3, VECTOR_3.password), VECTOR_3.backup);
  });

  it("vector 3 derives the published scrypt key", async () => {
    const key = await deriveKitKey(parseKit(KIT_3), VECTOR_3.password);
    assert.equal(Buffer.from(key).toString("hex"), "250002f8ac5cf54ac35763847031fdd34917ea6c0263e48b9cd765b3872df83f");
  });

  it("docs/backup-format.md publishes vectors 1 and 3 verbatim (file, and for vector 3 plaintext and associated data)", async () => {
    const doc = readFileSync(new URL("../../../docs/backup-format.md", import.meta.url), "utf8");
    assert.ok(doc.includes("```json\n" + KIT_1 + "```"), "vector 1 file");
    assert.ok(doc.includes("```json\n" + KIT_3 + "```"), "vector 3 file");
    const parsed = parseKit(KIT_3);
    const key = await deriveKitKey(parsed, VECTOR_3.password);
    const plaintext = xchacha20poly1305(key, parsed.nonce, headerAad(parsed.header)).decrypt(parsed.ciphertext);
    assert.ok(doc.includes("`" + new TextDecoder().decode(plaintext) + "`"), "vector 3 plaintext");
    assert.ok(doc.includes("`" + new TextDecoder().decode(headerAad(parsed.header)) + "`"), "vector 3 associated data");
  });

  it("new kits are written in version 2 by default", async () => {
    assert.equal(KIT_VERSION, 2);
    const kit = await encryptKit(VECTOR_2.backup, VECTOR_2.password, FAST);
    assert.equal(parseKit(kit).header.version, 2);
  });

  it("round trip with contacts under a fresh salt and nonce, names and contacts unchanged", async () => {
    const backup = withGuardians(VECTOR_2.backup, [
      { address: "0x3333333333333333333333333333333333333333", name: "Zoë", contact: "zoe@example.org" },
      { address: "0x7777777777777777777777777777777777777777", contact: "☎ +1 555 0100 (evenings)" },
    ]);
    const kit = await encryptKit(backup, VECTOR_2.password, FAST);
    assert.doesNotMatch(kit, /example|Zoë|\+1 555/);
    assert.deepEqual(await decryptKit(kit, VECTOR_2.password), backup);
  });

  it("a contact of exactly 200 characters (4-byte emoji) fits; 201 → ContactTooLongError", async () => {
    const longest = "📞".repeat(MAX_CONTACT_LENGTH);
    const guardian = { address: "0x3333333333333333333333333333333333333333" as const };
    const ok = withGuardians(VECTOR_2.backup, [{ ...guardian, contact: longest }]);
    const kit = await encryptKit(ok, VECTOR_2.password, FAST);
    assert.equal((await decryptKit(kit, VECTOR_2.password)).context.guardians[0]?.contact, longest);

    const tooLong = withGuardians(VECTOR_2.backup, [{ ...guardian, contact: `${longest}!` }]);
    await assert.rejects(
      encryptKit(tooLong, VECTOR_2.password, FAST),
      (e: unknown) =>
        e instanceof ContactTooLongError &&
        e.code === "CONTACT_TOO_LONG" &&
        e.guardian === 1 &&
        e.length === 201 &&
        e.maxLength === 200,
    );
  });

  it("a blank contact, a multi-line contact or a non-text contact → InvalidContextError", async () => {
    for (const contact of ["", "   ", "line one\nline two", "tab\there", 42]) {
      const backup = withGuardians(VECTOR_2.backup, [
        { address: "0x3333333333333333333333333333333333333333", contact: contact as string },
      ]);
      await assert.rejects(encryptKit(backup, VECTOR_2.password, FAST), InvalidContextError, JSON.stringify(contact));
    }
  });

  it("the largest valid kit (32 guardians, longest names and contacts) stays under the size limit", async () => {
    const guardians = Array.from({ length: 32 }, (_, i) => ({
      address: `0x${(i + 1).toString(16).padStart(40, "0")}` as const,
      name: '"'.repeat(64),
      contact: "📞".repeat(MAX_CONTACT_LENGTH),
    }));
    const backup: RecoveryBackup = {
      ...VECTOR_2.backup,
      context: { ...VECTOR_2.backup.context, guardians, threshold: 1 },
    };
    const kit = await encryptKit(backup, VECTOR_2.password, FAST);
    assert.ok(kit.length < MAX_KIT_CHARS, `${kit.length} chars`);
    assert.equal((await decryptKit(kit, VECTOR_2.password)).context.guardians.length, 32);
  });
});

describe("B3 recovery kit format version 1 stays readable", () => {
  it("the version 1 vectors decrypt with this code: guardians without contact notes", async () => {
    const backup = await decryptKit(KIT_1, VECTOR_1.password);
    assert.equal(parseKit(KIT_1).header.version, 1);
    assert.deepEqual(backup, VECTOR_1.backup);
    assert.ok(backup.context.guardians.every((g) => !("contact" in g)));
    assert.deepEqual(await decryptKit(KIT_2, VECTOR_2.password), VECTOR_2.backup);
  });

  it("a version 1 kit cannot be relabelled version 2 (the version is authenticated), nor the reverse", async () => {
    await assert.rejects(decryptKit(withVersion(KIT_1, 2), VECTOR_1.password), WrongPasswordError);
    await assert.rejects(decryptKit(withVersion(KIT_3, 1), VECTOR_3.password), WrongPasswordError);
  });

  it("a contact field inside a version 1 payload is ignored, as version 1 readers always did", async () => {
    const parsed = parseKit(KIT_2);
    const key = await deriveKitKey(parsed, VECTOR_2.password);
    const payload = {
      mnemonic: VECTOR_2.backup.mnemonic,
      hasPassphrase: true,
      context: {
        ...VECTOR_2.backup.context,
        guardians: [{ address: "0x3333333333333333333333333333333333333333", name: "Al", contact: "x".repeat(500) }],
        threshold: 1,
      },
    };
    const plaintext = new TextEncoder().encode(JSON.stringify(payload));
    const ciphertext = xchacha20poly1305(key, parsed.nonce, headerAad(parsed.header)).encrypt(plaintext);
    const backup = await decryptKit(serializeKit(parsed.header, ciphertext), VECTOR_2.password);
    assert.deepEqual(backup.context.guardians, [{ address: "0x3333333333333333333333333333333333333333", name: "Al" }]);
  });

  it("writing version 1 with contact notes is refused rather than silently dropping them", async () => {
    await assert.rejects(encryptKit(VECTOR_3.backup, VECTOR_3.password, { ...FAST, version: 1 }), InvalidContextError);
  });

  it("changing the password of a version 1 kit writes version 2 with the same contents; the old file still opens", async () => {
    const { kit } = await changeKitPassword(KIT_1, VECTOR_1.password, NEW_PASSWORD, FAST);
    assert.equal(parseKit(kit).header.version, 2);
    assert.deepEqual(await decryptKit(kit, NEW_PASSWORD), VECTOR_1.backup);
    assert.deepEqual(await decryptKit(KIT_1, VECTOR_1.password), VECTOR_1.backup);
  });

  it("changing the password of a version 2 kit keeps the contacts", async () => {
    const { kit } = await changeKitPassword(KIT_3, VECTOR_3.password, NEW_PASSWORD, FAST);
    assert.deepEqual(await decryptKit(kit, NEW_PASSWORD), VECTOR_3.backup);
  });
});
