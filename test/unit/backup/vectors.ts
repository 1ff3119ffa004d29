import type { RecoveryBackup } from "../../../custos/backup/index.js";

/** Test vector 1 of docs/backup-format.md: fixed words, password, salt and nonce. */
export const VECTOR_1 = {
  password: "vector-1 lunar kettle orbit",
  salt: Uint8Array.from({ length: 16 }, (_, i) => i),
  nonce: Uint8Array.from({ length: 24 }, (_, i) => 0x10 + i),
  backup: {
    mnemonic: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
    hasPassphrase: false,
    context: {
      account: "0x1111111111111111111111111111111111111111",
      chainId: 31337,
      factory: "0x2222222222222222222222222222222222222222",
      guardians: [{ address: "0x3333333333333333333333333333333333333333", name: "Alice" }],
      threshold: 1,
      delays: { recoveryDelay: 172800, securityPeriod: 86400, securityWindow: 43200, lockPeriod: 86400 },
      createdAt: "2026-01-01T00:00:00.000Z",
    },
  } satisfies RecoveryBackup,
};

/** Test vector 2: 24 words, a BIP39 passphrase in use (not stored), no guardians, N = 2^16. */
export const VECTOR_2 = {
  password: "vector-2 copper meadow sextant",
  kdf: { N: 2 ** 16, r: 8, p: 1 },
  salt: Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i),
  nonce: Uint8Array.from({ length: 24 }, (_, i) => 0xa0 + i),
  backup: {
    mnemonic:
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon " +
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
    hasPassphrase: true,
    context: {
      account: "0x4444444444444444444444444444444444444444",
      chainId: 11155111,
      factory: "0x5555555555555555555555555555555555555555",
      guardians: [],
      threshold: 0,
      delays: { recoveryDelay: 120, securityPeriod: 30, securityWindow: 30, lockPeriod: 60 },
      createdAt: "2026-06-30T12:00:00.000Z",
    },
  } satisfies RecoveryBackup,
};

/**
 * Test vector 3, format version 2: guardians with contact notes (one with name and contact, one
 * with a contact only, one with neither), N = 2^16.
 */
export const VECTOR_3 = {
  password: "vector-3 harbour violet compass",
  kdf: { N: 2 ** 16, r: 8, p: 1 },
  salt: Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i),
  nonce: Uint8Array.from({ length: 24 }, (_, i) => 0x60 + i),
  backup: {
    mnemonic: "legal winner thank year wave sausage worth useful legal winner thank yellow",
    hasPassphrase: false,
    context: {
      account: "0x6666666666666666666666666666666666666666",
      chainId: 31337,
      factory: "0x2222222222222222222222222222222222222222",
      guardians: [
        {
          address: "0x3333333333333333333333333333333333333333",
          name: "Alice",
          contact: "+41 79 555 01 23 · alice@example.org",
        },
        { address: "0x7777777777777777777777777777777777777777", contact: "Bob: Signal @bob.42" },
        { address: "0x8888888888888888888888888888888888888888" },
      ],
      threshold: 2,
      delays: { recoveryDelay: 172800, securityPeriod: 86400, securityWindow: 43200, lockPeriod: 86400 },
      createdAt: "2026-07-01T09:30:00.000Z",
    },
  } satisfies RecoveryBackup,
};
