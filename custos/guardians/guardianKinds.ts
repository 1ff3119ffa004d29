import { getAddress, type Address, type PublicClient } from "viem";
import { custosAccountAbi } from "../generated/abis.js";
import { readSafe, type SafeInfo } from "./safe.js";

/**
 * What a guardian address is, which decides how it approves (S14): a key signs an EIP-712 approval;
 * a Safe executes a transaction its owners sign; another Custos account sends a UserOperation of its
 * owner; any other contract calls the account's `approveRecovery` / `approveCancel` itself.
 */
export type GuardianKind =
  | { address: Address; kind: "key" }
  | { address: Address; kind: "safe"; safe: SafeInfo }
  | { address: Address; kind: "custos"; owner: Address }
  | { address: Address; kind: "contract" };

/** The kind of one guardian, from its code and the interface it answers. */
export async function readGuardianKind(client: PublicClient, guardian: Address): Promise<GuardianKind> {
  const address = getAddress(guardian);
  const code = await client.getCode({ address });
  if (!code || code === "0x") return { address, kind: "key" };
  const safe = await readSafe(client, address).catch(() => undefined);
  if (safe) return { address, kind: "safe", safe };
  const owner = await client
    .readContract({ address, abi: custosAccountAbi, functionName: "owner" })
    .catch(() => undefined);
  const configHash = owner
    ? await client.readContract({ address, abi: custosAccountAbi, functionName: "configHash" }).catch(() => undefined)
    : undefined;
  if (owner && configHash) return { address, kind: "custos", owner: getAddress(owner) };
  return { address, kind: "contract" };
}

/** The kinds of all of `guardians`, in their order. */
export function readGuardianKinds(client: PublicClient, guardians: readonly Address[]): Promise<GuardianKind[]> {
  return Promise.all(guardians.map((g) => readGuardianKind(client, g)));
}
