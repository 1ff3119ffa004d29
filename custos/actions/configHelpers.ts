import { getAddress, isAddressEqual, type Address } from "viem";
import { guardianIndex, normalizeConfig, type GuardianConfig } from "../config.js";
import { InvalidInputError } from "../errors.js";

/** The next configuration with `guardian` added (threshold unchanged unless given). */
export function addGuardian(
  config: GuardianConfig,
  guardian: Address,
  options: { threshold?: bigint } = {},
): GuardianConfig {
  if (guardianIndex(config, guardian) >= 0) {
    throw new InvalidInputError(`${getAddress(guardian)} is already a guardian`);
  }
  const threshold = options.threshold ?? (config.threshold === 0n ? 1n : config.threshold);
  return checked(normalizeConfig({ ...config, guardians: [...config.guardians, guardian], threshold }));
}

/** The next configuration without `guardian`; the threshold drops to stay reachable unless given. */
export function removeGuardian(
  config: GuardianConfig,
  guardian: Address,
  options: { threshold?: bigint } = {},
): GuardianConfig {
  if (guardianIndex(config, guardian) < 0) {
    throw new InvalidInputError(`${getAddress(guardian)} is not a guardian of this account`);
  }
  const guardians = config.guardians.filter((g) => !isAddressEqual(g, guardian));
  const n = BigInt(guardians.length);
  const threshold = options.threshold ?? (config.threshold > n ? n : config.threshold);
  return checked(normalizeConfig({ ...config, guardians, threshold }));
}

export function setThreshold(config: GuardianConfig, threshold: bigint): GuardianConfig {
  return checked({ ...config, threshold });
}

export interface Delays {
  recoveryDelay?: bigint;
  securityPeriod?: bigint;
  securityWindow?: bigint;
  lockPeriod?: bigint;
}

export function setDelays(config: GuardianConfig, delays: Delays): GuardianConfig {
  return checked({
    ...config,
    recoveryDelay: delays.recoveryDelay ?? config.recoveryDelay,
    securityPeriod: delays.securityPeriod ?? config.securityPeriod,
    securityWindow: delays.securityWindow ?? config.securityWindow,
    lockPeriod: delays.lockPeriod ?? config.lockPeriod,
  });
}

/** The rules the contract enforces that need no chain: reachable threshold, recovery delay ≥ period + window. */
export function checked(config: GuardianConfig): GuardianConfig {
  const n = BigInt(config.guardians.length);
  if (n === 0n ? config.threshold !== 0n : config.threshold < 1n || config.threshold > n) {
    throw new InvalidInputError(
      n === 0n
        ? "the threshold must be 0 when there are no guardians"
        : `the threshold must be between 1 and ${n} (the number of guardians), not ${config.threshold}`,
    );
  }
  if (n > 16n) throw new InvalidInputError(`at most 16 guardians, not ${n}`);
  const minimum = config.securityPeriod + config.securityWindow;
  if (config.recoveryDelay < minimum) {
    throw new InvalidInputError(
      `the recovery delay (${config.recoveryDelay} s) must be at least the security period plus window (${minimum} s)`,
    );
  }
  return config;
}
