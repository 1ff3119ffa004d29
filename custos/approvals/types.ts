import type { Address, Hex } from "viem";
import type { SignatureKind } from "./signatureBlob.js";
import type { ApprovalRequest } from "./typedData.js";

/** An approval request plus the signature of one signer (a guardian, or the owner for a cancel). */
export interface SignedApproval extends ApprovalRequest {
  signer: Address;
  signature: Hex;
}

/** A signed approval that passed every off-chain check, with its place in the signature blob. */
export interface VerifiedApproval extends SignedApproval {
  /** Position of the signer in the sorted guardian list, or OWNER_INDEX (255) for the owner. */
  index: number;
  /** How the contract checks it: ecrecover for keys, isValidSignature for contract guardians. */
  signatureKind: SignatureKind;
}
