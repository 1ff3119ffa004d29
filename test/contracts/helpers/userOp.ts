import { concat, toBeHex, zeroPadValue, type BytesLike, type Signer } from "ethers";
import type { EntryPoint } from "../../../types/ethers-contracts/index.js";
import type { CustosDeployment, Key } from "./fixture.js";

export interface PackedUserOperation {
  sender: string;
  nonce: bigint;
  initCode: string;
  callData: string;
  accountGasLimits: string;
  preVerificationGas: bigint;
  gasFees: string;
  paymasterAndData: string;
  signature: string;
}

export interface UserOpOptions {
  initCode?: string;
  verificationGasLimit?: bigint;
  callGasLimit?: bigint;
  preVerificationGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  maxFeePerGas?: bigint;
  nonce?: bigint;
}

function packUint128(high: bigint, low: bigint): string {
  return concat([zeroPadValue(toBeHex(high), 16), zeroPadValue(toBeHex(low), 16)]);
}

/** Builds an unsigned PackedUserOperation (EntryPoint v0.8) with gas and fees within the S13 caps. */
export async function buildUserOp(
  custos: CustosDeployment,
  sender: string,
  callData: BytesLike,
  options: UserOpOptions = {},
): Promise<PackedUserOperation> {
  const block = await custos.ethers.provider.getBlock("latest");
  const priority = options.maxPriorityFeePerGas ?? 1_000_000_000n;
  const maxFee = options.maxFeePerGas ?? (block?.baseFeePerGas ?? 1_000_000_000n) * 2n + priority;
  const nonce = options.nonce ?? (await custos.entryPoint.getNonce(sender, 0));
  return {
    sender,
    nonce,
    initCode: options.initCode ?? "0x",
    callData: typeof callData === "string" ? callData : concat([callData]),
    accountGasLimits: packUint128(options.verificationGasLimit ?? 450_000n, options.callGasLimit ?? 200_000n),
    preVerificationGas: options.preVerificationGas ?? 60_000n,
    gasFees: packUint128(priority, maxFee),
    paymasterAndData: "0x",
    signature: "0x",
  };
}

/** Signs the EntryPoint's userOpHash (raw, no message prefix) with `key`. */
export async function signUserOp(
  entryPoint: EntryPoint,
  op: PackedUserOperation,
  key: Key,
): Promise<PackedUserOperation> {
  const hash = await entryPoint.getUserOpHash(op);
  return { ...op, signature: key.signingKey.sign(hash).serialized };
}

/** Builds and signs a UserOperation calling `callData` on `sender`. */
export async function signedUserOp(
  custos: CustosDeployment,
  sender: string,
  callData: BytesLike,
  key: Key,
  options: UserOpOptions = {},
): Promise<PackedUserOperation> {
  return signUserOp(custos.entryPoint, await buildUserOp(custos, sender, callData, options), key);
}

/** Submits `ops` through EntryPoint.handleOps from the bundler EOA (or `from`, paying `beneficiary`). */
export function handleOps(
  custos: CustosDeployment,
  ops: PackedUserOperation[],
  from?: Signer & { address: string },
  beneficiary?: string,
  overrides: { maxFeePerGas?: bigint } = {},
) {
  const submitter = from ?? custos.bundler;
  return custos.entryPoint.connect(submitter).handleOps(ops, beneficiary ?? submitter.address, overrides);
}

/** Submits one op and returns whether its execution succeeded (from UserOperationEvent). */
export async function handleOpSucceeded(custos: CustosDeployment, op: PackedUserOperation): Promise<boolean> {
  const receipt = await (await handleOps(custos, [op])).wait();
  const { entryPoint } = custos;
  for (const log of receipt!.logs) {
    const parsed = entryPoint.interface.parseLog(log);
    if (parsed?.name === "UserOperationEvent") return parsed.args.success as boolean;
  }
  throw new Error("no UserOperationEvent in handleOps receipt");
}
