import type { Address, Hex } from "viem";

/** EntryPoint v0.8, at the address every bundler and SDK expects. */
export const ENTRY_POINT_ADDRESS: Address = "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108";
/** Salt with which EntryPoint v0.8 was deployed through the deterministic deployer on mainnet. */
export const ENTRY_POINT_SALT: Hex = "0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9";
/** The deterministic CREATE2 deployer (Arachnid's), present on nearly every chain. */
export const DETERMINISTIC_DEPLOYER: Address = "0x4e59b44847b379578588920cA78FbF26c0B4956C";
/** Runtime code of the deterministic deployer, installed with `*_setCode` on local chains that lack it. */
export const DETERMINISTIC_DEPLOYER_RUNTIME: Hex =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";
/** Salt of Custos' own CREATE2 deployments: same addresses on every chain for the same bytecode and arguments. */
export const CUSTOS_SALT: Hex = "0x637573746f732e76310000000000000000000000000000000000000000000000";

/** Bounds on the delays of every account of an implementation, in seconds. */
export interface DelayBounds {
  minRecoveryDelay: number;
  maxRecoveryDelay: number;
  minSecurityPeriod: number;
  maxSecurityPeriod: number;
  minSecurityWindow: number;
  maxSecurityWindow: number;
  minLockPeriod: number;
  maxLockPeriod: number;
}

/**
 * Caps on the gas fields of UserOperations the owner did not sign (recovery start, execute, cancel):
 * rule S13. Immutables of the implementation, the same on every chain, so the addresses are too.
 * Per operation the account pays at most
 * (maxVerificationGasLimit + maxCallGasLimit + maxPreVerificationGas) × min(maxFeePerGas, basefee + maxPriorityFeePerGas),
 * plus the EntryPoint's 10 % penalty on unused call gas.
 */
export interface GasCaps {
  maxVerificationGasLimit: number;
  maxCallGasLimit: number;
  /** Enough call gas for any guardian-driven operation's execution to complete (16 guardians). */
  minCallGasLimit: number;
  maxPreVerificationGas: number;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

const GWEI = 1_000_000_000n;

export const GAS_CAPS: GasCaps = {
  maxVerificationGasLimit: 500_000,
  maxCallGasLimit: 200_000,
  minCallGasLimit: 60_000,
  maxPreVerificationGas: 500_000,
  maxPriorityFeePerGas: 5n * GWEI,
  maxFeePerGas: 500n * GWEI,
};

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Production bounds: recovery takes at least two days, changes at least one day. */
export const PRODUCTION_BOUNDS: DelayBounds = {
  minRecoveryDelay: 2 * DAY,
  maxRecoveryDelay: 30 * DAY,
  minSecurityPeriod: DAY,
  maxSecurityPeriod: 14 * DAY,
  minSecurityWindow: 12 * HOUR,
  maxSecurityWindow: 7 * DAY,
  minLockPeriod: DAY,
  maxLockPeriod: 30 * DAY,
};

/** Local demo bounds: the same rules with delays short enough to try by hand (seconds to minutes). */
export const DEMO_BOUNDS: DelayBounds = {
  minRecoveryDelay: 60,
  maxRecoveryDelay: 30 * DAY,
  minSecurityPeriod: 20,
  maxSecurityPeriod: 14 * DAY,
  minSecurityWindow: 20,
  maxSecurityWindow: 7 * DAY,
  minLockPeriod: 30,
  maxLockPeriod: 30 * DAY,
};
