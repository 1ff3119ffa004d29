import { HDKey } from "@scure/bip32";
import { generateMnemonic as scureGenerate, mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { bytesToHex, type Address, type Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { BadChecksumError, EmptyInputError, UnknownWordError, WordCountError } from "./errors.js";
import { suggestWords } from "./suggest.js";

/** The derivation path of the owner key (SPEC §2). */
export const OWNER_DERIVATION_PATH = "m/44'/60'/0'/0/0";

const WORD_COUNTS = [12, 15, 18, 21, 24] as const;
const WORDS = new Set(wordlist);

/** A fresh BIP39 English mnemonic of 12 (128-bit) or 24 (256-bit) words from the platform CSPRNG. */
export function generateMnemonic(words: 12 | 24 = 12): string {
  return scureGenerate(wordlist, words === 24 ? 256 : 128);
}

/**
 * Normalises typed words (case, spaces, Unicode NFKD) and checks them: count, every word in the
 * list (with a "did you mean"), then the checksum. Returns the canonical mnemonic.
 */
export function parseMnemonic(input: string): string {
  const words = input.normalize("NFKD").toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new EmptyInputError("recovery phrase");
  words.forEach((word, i) => {
    if (!WORDS.has(word)) throw new UnknownWordError(word, i + 1, suggestWords(word, wordlist));
  });
  if (!(WORD_COUNTS as readonly number[]).includes(words.length)) throw new WordCountError(words.length);
  const mnemonic = words.join(" ");
  if (!validateMnemonic(mnemonic, wordlist)) throw new BadChecksumError();
  return mnemonic;
}

/** The owner private key at m/44'/60'/0'/0/0 of the mnemonic (+ optional BIP39 passphrase). */
export function deriveOwnerPrivateKey(mnemonic: string, passphrase = ""): Hex {
  const seed = mnemonicToSeedSync(parseMnemonic(mnemonic), passphrase.normalize("NFKD"));
  const key = HDKey.fromMasterSeed(seed).derive(OWNER_DERIVATION_PATH).privateKey;
  if (!key) throw new Error("BIP32 derivation produced no private key");
  return bytesToHex(key);
}

/** The owner address of the mnemonic (+ optional BIP39 passphrase). */
export function deriveOwnerAddress(mnemonic: string, passphrase = ""): Address {
  return privateKeyToAddress(deriveOwnerPrivateKey(mnemonic, passphrase));
}
