import {
  getAddress,
  hashTypedData,
  hexToBigInt,
  isAddressEqual,
  recoverTypedDataAddress,
  size,
  sliceHex,
  type Address,
  type PublicClient,
} from "viem";
import type { GuardianConfig } from "../config.js";
import { guardianIndex } from "../config.js";
import { ApprovalError } from "../errors.js";
import { OWNER_INDEX, type SignatureKind } from "./signatureBlob.js";
import { approvalTypedData, type ApprovalKind } from "./typedData.js";
import type { SignedApproval, VerifiedApproval } from "./types.js";

/** What a valid approval must match right now: the live request and the account's configuration. */
export interface ApprovalExpectation {
  chainId: number;
  account: Address;
  kind: ApprovalKind;
  /** The proposed owner (for CancelRecovery: the pending recovery's new owner). */
  newOwner?: Address;
  nonce: bigint;
  epoch: bigint;
  /** The chain's current time (unix seconds). */
  now: bigint;
  config: GuardianConfig;
  /** The owner, when it may sign too (cancel quorum). */
  owner?: Address;
}

const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const ERC1271_MAGIC = "0x1626ba7e";
const erc1271Abi = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bytes4" }],
  },
] as const;

function date(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Checks a signed approval off-chain with the same rules as the contract (S6, S7), so a bad one is
 * refused with a precise sentence before anything is sent: chain, account, kind, new owner,
 * nonce/epoch, deadline, signer membership, then the signature itself (ecrecover with low s for keys,
 * `isValidSignature` for contract guardians).
 */
export async function verifyApproval(
  client: PublicClient,
  approval: SignedApproval,
  expected: ApprovalExpectation,
): Promise<VerifiedApproval> {
  if (approval.chainId !== expected.chainId) {
    throw new ApprovalError(
      "WRONG_CHAIN",
      `approval signed for another chain (chain ${approval.chainId}, this is chain ${expected.chainId})`,
    );
  }
  if (!isAddressEqual(approval.account, expected.account)) {
    throw new ApprovalError("WRONG_ACCOUNT", `approval signed for another account (${approval.account})`);
  }
  if (approval.kind !== expected.kind) {
    throw new ApprovalError("MALFORMED", `this is a ${approval.kind} approval, a ${expected.kind} approval is needed`);
  }
  if (expected.newOwner && !isAddressEqual(approval.newOwner, expected.newOwner)) {
    throw new ApprovalError(
      "MALFORMED",
      `approval is for new owner ${approval.newOwner}, the request is for ${getAddress(expected.newOwner)}`,
    );
  }
  if (approval.nonce !== expected.nonce || approval.epoch !== expected.epoch) {
    throw new ApprovalError(
      "STALE",
      "approval is stale: the account's configuration or recovery nonce changed since it was signed",
    );
  }
  if (approval.deadline === 0n) throw new ApprovalError("MALFORMED", "an approval deadline of 0 is invalid");
  if (approval.deadline < expected.now) {
    throw new ApprovalError("EXPIRED", `approval expired at ${date(approval.deadline)}`);
  }
  const index = signerIndex(approval.signer, expected);
  const signatureKind = await checkSignature(client, approval);
  return { ...approval, signer: getAddress(approval.signer), index, signatureKind };
}

function signerIndex(signer: Address, expected: ApprovalExpectation): number {
  const index = guardianIndex(expected.config, signer);
  if (index >= 0) return index;
  if (expected.owner && isAddressEqual(signer, expected.owner)) return OWNER_INDEX;
  throw new ApprovalError("NOT_A_GUARDIAN", `signer ${getAddress(signer)} is not a guardian of this account`);
}

async function checkSignature(client: PublicClient, approval: SignedApproval): Promise<SignatureKind> {
  const typedData = approvalTypedData(approval);
  if (size(approval.signature) === 65) {
    const s = hexToBigInt(sliceHex(approval.signature, 32, 64));
    const v = hexToBigInt(sliceHex(approval.signature, 64, 65));
    let recovered: Address | undefined;
    try {
      recovered = await recoverTypedDataAddress({ ...typedData, signature: approval.signature });
    } catch {
      recovered = undefined;
    }
    if (recovered && isAddressEqual(recovered, approval.signer)) {
      if (s > SECP256K1_HALF_N || (v !== 27n && v !== 28n)) {
        throw new ApprovalError("MALFORMED", "the signature is not in canonical form (high s or v not 27/28)");
      }
      return "ecdsa";
    }
  }
  const code = await client.getCode({ address: approval.signer });
  if (code && code !== "0x") {
    const hash = hashTypedData(typedData);
    const result = await client
      .readContract({
        address: approval.signer,
        abi: erc1271Abi,
        functionName: "isValidSignature",
        args: [hash, approval.signature],
      })
      .catch(() => undefined);
    if (result === ERC1271_MAGIC) return "erc1271";
    throw new ApprovalError("WRONG_SIGNER", `contract guardian ${getAddress(approval.signer)} rejects this signature`);
  }
  throw new ApprovalError(
    "WRONG_SIGNER",
    `the signature was not made by ${getAddress(approval.signer)} for this request`,
  );
}
