import {
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  isAddress,
  keccak256,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { custosFactoryAbi } from "./generated/abis.js";
import { InvalidInputError } from "./errors.js";

/** A guardian configuration; on-chain only its hash is stored (see hashConfig). Delays in seconds. */
export interface GuardianConfig {
  guardians: readonly Address[];
  threshold: bigint;
  recoveryDelay: bigint;
  securityPeriod: bigint;
  securityWindow: bigint;
  lockPeriod: bigint;
}

export const guardianConfigAbiParameter = {
  type: "tuple",
  components: [
    { name: "guardians", type: "address[]" },
    { name: "threshold", type: "uint256" },
    { name: "recoveryDelay", type: "uint256" },
    { name: "securityPeriod", type: "uint256" },
    { name: "securityWindow", type: "uint256" },
    { name: "lockPeriod", type: "uint256" },
  ],
} as const;

/** Checksums and sorts guardians ascending (the order the contract requires); rejects bad addresses and duplicates. */
export function normalizeConfig(config: {
  guardians: readonly string[];
  threshold: bigint | number;
  recoveryDelay: bigint | number;
  securityPeriod: bigint | number;
  securityWindow: bigint | number;
  lockPeriod: bigint | number;
}): GuardianConfig {
  const guardians = config.guardians.map((g) => {
    if (!isAddress(g, { strict: false })) throw new InvalidInputError(`"${g}" is not an Ethereum address`);
    return getAddress(g);
  });
  guardians.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  for (let i = 1; i < guardians.length; i++) {
    if (guardians[i] === guardians[i - 1]) throw new InvalidInputError(`guardian ${guardians[i]} is listed twice`);
  }
  return {
    guardians,
    threshold: BigInt(config.threshold),
    recoveryDelay: BigInt(config.recoveryDelay),
    securityPeriod: BigInt(config.securityPeriod),
    securityWindow: BigInt(config.securityWindow),
    lockPeriod: BigInt(config.lockPeriod),
  };
}

/** keccak256(abi.encode(config)) — what the account stores and what `hashConfig` returns on-chain. */
export function hashConfig(config: GuardianConfig): Hex {
  return keccak256(encodeAbiParameters([guardianConfigAbiParameter], [config]));
}

/** Index of `address` among the config's guardians, or -1. */
export function guardianIndex(config: GuardianConfig, address: Address): number {
  return config.guardians.findIndex((g) => g.toLowerCase() === address.toLowerCase());
}

/** Calldata of `factory.createAccount(owner, config, salt)`: the factoryData of a first UserOperation. */
export function getFactoryData(owner: Address, config: GuardianConfig, salt: bigint = 0n): Hex {
  return encodeFunctionData({ abi: custosFactoryAbi, functionName: "createAccount", args: [owner, config, salt] });
}

/** The counterfactual address of the account of `owner` with `config` (asks the factory). */
export async function predictAccountAddress(
  client: PublicClient,
  factory: Address,
  owner: Address,
  config: GuardianConfig,
  salt: bigint = 0n,
): Promise<Address> {
  return client.readContract({
    address: factory,
    abi: custosFactoryAbi,
    functionName: "getAddress",
    args: [owner, config, salt],
  });
}
