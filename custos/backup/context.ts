import { getAddress, isAddress, type Address } from "viem";
import { normalizeConfig, type GuardianConfig } from "../config.js";
import { ContactTooLongError, InvalidContextError } from "./errors.js";

/**
 * A guardian as the recovery kit remembers it: the address, and for the address book a name and a
 * contact note (phone, e-mail…) so that after losing a device the user knows whom to ask.
 * Contact notes need kit format version 2.
 */
export interface KitGuardian {
  address: Address;
  name?: string;
  contact?: string;
}

/** Delays of the account's guardian configuration, in seconds. */
export interface KitDelays {
  recoveryDelay: number;
  securityPeriod: number;
  securityWindow: number;
  lockPeriod: number;
}

/** What a recovery needs besides the words: which account, where, and who the guardians are. */
export interface RecoveryContext {
  account: Address;
  chainId: number;
  factory: Address;
  guardians: KitGuardian[];
  threshold: number;
  delays: KitDelays;
  /** ISO 8601 time the kit was written. */
  createdAt: string;
}

/** The plaintext of a recovery kit. The BIP39 passphrase itself is never stored, only whether one is used. */
export interface RecoveryBackup {
  mnemonic: string;
  hasPassphrase: boolean;
  context: RecoveryContext;
}

const MAX_NAME_LENGTH = 64;
/** A contact note holds at most this many characters (Unicode code points). */
export const MAX_CONTACT_LENGTH = 200;
const MAX_GUARDIANS = 32;

function address(value: unknown, what: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new InvalidContextError(`${what} is not an Ethereum address`);
  }
  return getAddress(value);
}

function count(value: unknown, what: string, min = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidContextError(`${what} must be a whole number ≥ ${min}`);
  }
  return value;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidContextError(`${what} is missing`);
  }
  return value as Record<string, unknown>;
}

/** A contact note: one line of text (no control characters), not blank, at most MAX_CONTACT_LENGTH characters. */
function contact(value: unknown, guardian: number): string {
  if (typeof value !== "string" || value.trim() === "" || /\p{Cc}/u.test(value)) {
    throw new InvalidContextError(`the contact note of guardian ${guardian} must be one line of text`);
  }
  const length = [...value].length;
  if (length > MAX_CONTACT_LENGTH) throw new ContactTooLongError(guardian, length, MAX_CONTACT_LENGTH);
  return value;
}

export interface NormalizeOptions {
  /**
   * Whether guardian contact notes are read (kit format 2, the default). Format 1 has none: a
   * `contact` field there is dropped like any other unknown guardian field.
   */
  contacts?: boolean;
}

/** Checks untrusted recovery details and returns them with checksummed addresses, in a fixed key order. */
export function normalizeContext(input: unknown, options: NormalizeOptions = {}): RecoveryContext {
  const withContacts = options.contacts ?? true;
  const c = record(input, "the recovery context");
  if (!Array.isArray(c.guardians) || c.guardians.length > MAX_GUARDIANS) {
    throw new InvalidContextError(`guardians must be a list of at most ${MAX_GUARDIANS}`);
  }
  const guardians = c.guardians.map((g, i): KitGuardian => {
    const entry = record(g, `guardian ${i + 1}`);
    const guardian: KitGuardian = { address: address(entry.address, `guardian ${i + 1}`) };
    if (entry.name !== undefined) {
      if (typeof entry.name !== "string" || entry.name.length > MAX_NAME_LENGTH) {
        throw new InvalidContextError(
          `the name of guardian ${i + 1} must be text of at most ${MAX_NAME_LENGTH} characters`,
        );
      }
      guardian.name = entry.name;
    }
    if (withContacts && entry.contact !== undefined) guardian.contact = contact(entry.contact, i + 1);
    return guardian;
  });
  const delays = record(c.delays, "delays");
  const threshold = count(c.threshold, "threshold");
  if (threshold > guardians.length || (guardians.length > 0 && threshold === 0)) {
    throw new InvalidContextError(`threshold ${threshold} does not fit ${guardians.length} guardian(s)`);
  }
  if (typeof c.createdAt !== "string" || Number.isNaN(Date.parse(c.createdAt))) {
    throw new InvalidContextError("createdAt is not a date");
  }
  const context: RecoveryContext = {
    account: address(c.account, "the account"),
    chainId: count(c.chainId, "the chain id", 1),
    factory: address(c.factory, "the factory"),
    guardians,
    threshold,
    delays: {
      recoveryDelay: count(delays.recoveryDelay, "recoveryDelay"),
      securityPeriod: count(delays.securityPeriod, "securityPeriod"),
      securityWindow: count(delays.securityWindow, "securityWindow"),
      lockPeriod: count(delays.lockPeriod, "lockPeriod"),
    },
    createdAt: c.createdAt,
  };
  toGuardianConfig(context);
  return context;
}

/** The on-chain guardian configuration the context describes (guardians sorted as the contract wants). */
export function toGuardianConfig(context: RecoveryContext): GuardianConfig {
  try {
    return normalizeConfig({
      guardians: context.guardians.map((g) => g.address),
      threshold: context.threshold,
      ...context.delays,
    });
  } catch (error) {
    throw new InvalidContextError((error as Error).message);
  }
}

/** The recovery context of `account` with the guardian configuration it has on chain `chainId`. */
export function contextFromConfig(
  account: Address,
  deployment: { chainId: number; factory: Address },
  config: GuardianConfig,
  createdAt: Date = new Date(),
): RecoveryContext {
  return {
    account,
    chainId: deployment.chainId,
    factory: deployment.factory,
    guardians: config.guardians.map((address) => ({ address })),
    threshold: Number(config.threshold),
    delays: {
      recoveryDelay: Number(config.recoveryDelay),
      securityPeriod: Number(config.securityPeriod),
      securityWindow: Number(config.securityWindow),
      lockPeriod: Number(config.lockPeriod),
    },
    createdAt: createdAt.toISOString(),
  };
}
