import { concat, decodeEventLog, numberToHex, parseGwei, type Address, type Hash, type Hex } from "viem";
import { ENTRY_POINT_ADDRESS } from "../../custos/deploy/constants.js";
import { entryPointAbi } from "../../custos/generated/abis.js";
import { gasOf, type BenchChain } from "./chain.js";

/** A v0.8 PackedUserOperation as handleOps takes it. */
export interface PackedUserOp {
  sender: Address;
  nonce: bigint;
  initCode: Hex;
  callData: Hex;
  accountGasLimits: Hex;
  preVerificationGas: bigint;
  gasFees: Hex;
  paymasterAndData: Hex;
  signature: Hex;
}

/** Signs a UserOperation hash the way the account expects. */
export type UserOpSigner = (userOpHash: Hash) => Promise<Hex>;

// Identical limits and fees for every account, so calldata size and prefund are the same for all;
// within the caps the account puts on UserOperations its owner did not sign (recovery, S13).
const VERIFICATION_GAS_LIMIT = 500_000n;
const CALL_GAS_LIMIT = 200_000n;
const PRE_VERIFICATION_GAS = 60_000n;
const MAX_FEE = parseGwei("2");

const pack128 = (high: bigint, low: bigint): Hex =>
  concat([numberToHex(high, { size: 16 }), numberToHex(low, { size: 16 })]);

/** Builds and signs a one-op bundle for `sender`, using the EntryPoint's nonce (key 0) and userOpHash. */
export async function buildUserOp(
  bench: BenchChain,
  params: { sender: Address; callData: Hex; initCode?: Hex; sign: UserOpSigner },
): Promise<PackedUserOp> {
  const nonce = await bench.publicClient.readContract({
    address: ENTRY_POINT_ADDRESS,
    abi: entryPointAbi,
    functionName: "getNonce",
    args: [params.sender, 0n],
  });
  const op: PackedUserOp = {
    sender: params.sender,
    nonce,
    initCode: params.initCode ?? "0x",
    callData: params.callData,
    accountGasLimits: pack128(VERIFICATION_GAS_LIMIT, CALL_GAS_LIMIT),
    preVerificationGas: PRE_VERIFICATION_GAS,
    gasFees: pack128(MAX_FEE, MAX_FEE),
    paymasterAndData: "0x",
    // Placeholder of the final length; the hash does not cover the signature.
    signature: "0x",
  };
  // EntryPoint v0.8: the userOpHash is the EIP-712 hash of the operation, read from the EntryPoint itself.
  const userOpHash = await bench.publicClient.readContract({
    address: ENTRY_POINT_ADDRESS,
    abi: entryPointAbi,
    functionName: "getUserOpHash",
    args: [op],
  });
  return { ...op, signature: await params.sign(userOpHash) };
}

/**
 * Sends `op` alone through handleOps from the funded EOA (also the beneficiary) and returns the
 * receipt's gasUsed. Throws unless the operation executed successfully.
 */
export async function sendUserOp(bench: BenchChain, op: PackedUserOp, what: string): Promise<bigint> {
  const hash = await bench.walletClient.writeContract({
    address: ENTRY_POINT_ADDRESS,
    abi: entryPointAbi,
    functionName: "handleOps",
    args: [[op], bench.sender],
    gas: 5_000_000n,
  });
  const gasUsed = await gasOf(bench, hash, what);
  const receipt = await bench.publicClient.getTransactionReceipt({ hash });
  let succeeded = false;
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== ENTRY_POINT_ADDRESS.toLowerCase()) continue;
    try {
      const event = decodeEventLog({ abi: entryPointAbi, data: log.data, topics: log.topics });
      if (event.eventName === "UserOperationEvent") succeeded = event.args.success;
      if (event.eventName === "UserOperationRevertReason") {
        throw new Error(`${what}: the operation reverted (${event.args.revertReason})`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(what)) throw error;
    }
  }
  if (!succeeded) throw new Error(`${what}: no successful UserOperationEvent`);
  return gasUsed;
}
