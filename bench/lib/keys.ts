import { getAddress, keccak256, slice, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

/** A deterministic private key for `label`, so every run signs and pays exactly the same bytes. */
export function keyFor(label: string): Hex {
  return keccak256(toHex(`custos.bench:${label}`));
}

/** A deterministic local signer for `label`. */
export function signerFor(label: string): PrivateKeyAccount {
  return privateKeyToAccount(keyFor(label));
}

/** A fresh address nobody has touched (no code, no balance, no storage) for `label`. */
export function freshAddress(label: string): Address {
  return getAddress(slice(keccak256(toHex(`custos.bench.recipient:${label}`)), 12));
}
