import {
  concat,
  encodeFunctionData,
  getAddress,
  parseAbi,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
  type TypedDataDefinition,
} from "viem";
import { InvalidInputError } from "../errors.js";
import type { Call } from "../actions/types.js";

/**
 * A Safe (1.3 / 1.4) as a contract guardian (S14): it approves a recovery or a cancel with an on-chain
 * call to the recovering account, executed by the Safe once its owners signed the Safe transaction.
 * The Safe's public interface, as its contracts declare it.
 */
export const safeAbi = parseAbi([
  "function getOwners() view returns (address[])",
  "function getThreshold() view returns (uint256)",
  "function nonce() view returns (uint256)",
  "function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool success)",
]);

/** A Safe transaction that makes the Safe call `call` (operation CALL, no refund). */
export interface SafeTransaction {
  safe: Address;
  chainId: number;
  to: Address;
  value: bigint;
  data: Hex;
  nonce: bigint;
}

export interface SafeInfo {
  owners: Address[];
  threshold: number;
  nonce: bigint;
}

/** The Safe's owners, threshold and next transaction nonce. */
export async function readSafe(client: PublicClient, safe: Address): Promise<SafeInfo> {
  const [owners, threshold, nonce] = await Promise.all([
    client.readContract({ address: safe, abi: safeAbi, functionName: "getOwners" }),
    client.readContract({ address: safe, abi: safeAbi, functionName: "getThreshold" }),
    client.readContract({ address: safe, abi: safeAbi, functionName: "nonce" }),
  ]);
  return { owners: owners.map((owner) => getAddress(owner)), threshold: Number(threshold), nonce };
}

/** The Safe transaction for the Safe's owners to sign: the Safe makes `call` (an approval of a recovery or a cancel). */
export async function buildSafeTransaction(client: PublicClient, safe: Address, call: Call): Promise<SafeTransaction> {
  const [chainId, info] = await Promise.all([client.getChainId(), readSafe(client, safe)]);
  return { safe: getAddress(safe), chainId, to: call.to, value: call.value, data: call.data, nonce: info.nonce };
}

const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/** The EIP-712 typed data each Safe owner signs (Safe ≥ 1.3 domain: chain id and Safe address). */
export function safeTransactionTypedData(tx: SafeTransaction): TypedDataDefinition<typeof SAFE_TX_TYPES, "SafeTx"> {
  return {
    domain: { chainId: tx.chainId, verifyingContract: tx.safe },
    types: SAFE_TX_TYPES,
    primaryType: "SafeTx",
    message: {
      to: tx.to,
      value: tx.value,
      data: tx.data,
      operation: 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: zeroAddress,
      refundReceiver: zeroAddress,
      nonce: tx.nonce,
    },
  };
}

/** One owner's 65-byte ECDSA signature of the Safe transaction's typed data. */
export interface SafeOwnerSignature {
  owner: Address;
  signature: Hex;
}

/**
 * The `execTransaction` call that carries the owners' signatures, sorted by owner address as the Safe
 * requires; anyone may send it. Throws when fewer than `threshold` distinct owners signed.
 */
export function safeExecTransactionCall(
  tx: SafeTransaction,
  signatures: readonly SafeOwnerSignature[],
  threshold: number,
): Call {
  const unique = new Map<string, SafeOwnerSignature>();
  for (const entry of signatures) {
    if (!/^0x[0-9a-fA-F]{130}$/.test(entry.signature)) {
      throw new InvalidInputError(`the signature of Safe owner ${entry.owner} is not a 65-byte signature`);
    }
    unique.set(getAddress(entry.owner), entry);
  }
  if (unique.size < threshold) {
    throw new InvalidInputError(`the Safe needs ${threshold} owner signatures, ${unique.size} given`);
  }
  const sorted = [...unique.values()].sort((a, b) => (BigInt(a.owner) < BigInt(b.owner) ? -1 : 1));
  const data = encodeFunctionData({
    abi: safeAbi,
    functionName: "execTransaction",
    args: [
      tx.to,
      tx.value,
      tx.data,
      0,
      0n,
      0n,
      0n,
      zeroAddress,
      zeroAddress,
      concat(sorted.map((entry) => entry.signature)),
    ],
  });
  return { to: tx.safe, value: 0n, data };
}
