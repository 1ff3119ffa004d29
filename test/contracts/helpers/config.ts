import { AbiCoder, keccak256 } from "ethers";

/** A guardian configuration as the contracts take it (see contracts/interfaces/ICustosRecovery.sol). */
export interface GuardianConfig {
  guardians: string[];
  threshold: bigint;
  recoveryDelay: bigint;
  securityPeriod: bigint;
  securityWindow: bigint;
  lockPeriod: bigint;
}

export interface Delays {
  recoveryDelay: bigint;
  securityPeriod: bigint;
  securityWindow: bigint;
  lockPeriod: bigint;
}

/** Delays inside DEMO_BOUNDS with recoveryDelay ≥ securityPeriod + securityWindow. */
export const TEST_DELAYS: Delays = {
  recoveryDelay: 1000n,
  securityPeriod: 100n,
  securityWindow: 200n,
  lockPeriod: 500n,
};

/** Addresses sorted strictly ascending, as the account requires. */
export function sortAddresses(addresses: readonly string[]): string[] {
  return [...addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}

/** Objects with an address, sorted by it. */
export function sortByAddress<T extends { address: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
}

export function makeConfig(
  guardians: readonly string[],
  threshold: number,
  delays: Partial<Delays> = {},
): GuardianConfig {
  return { guardians: [...guardians], threshold: BigInt(threshold), ...TEST_DELAYS, ...delays };
}

const CONFIG_TUPLE =
  "tuple(address[] guardians,uint256 threshold,uint256 recoveryDelay,uint256 securityPeriod,uint256 securityWindow,uint256 lockPeriod)";

/** keccak256(abi.encode(config)), the value the account stores. */
export function hashConfig(config: GuardianConfig): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode([CONFIG_TUPLE], [config]));
}
