import { concat, numberToHex, size, sliceHex, hexToNumber, type Hex } from "viem";
import { ApprovalError } from "../errors.js";

/** Signer index of the owner inside a cancel quorum blob. */
export const OWNER_INDEX = 255;

export type SignatureKind = "ecdsa" | "erc1271";

/** One entry of the on-chain signature blob (see contracts/account/GuardianSignatures.sol). */
export interface SignatureEntry {
  /** Position of the signer in the sorted guardian list, or OWNER_INDEX. */
  index: number;
  kind: SignatureKind;
  signature: Hex;
}

const KIND_CODE: Record<SignatureKind, number> = { ecdsa: 0, erc1271: 1 };

/**
 * Encodes entries as `index | kind | length (2 bytes) | signature`, sorted by index (the contract
 * rejects unsorted blobs). Rejects duplicates and malformed ECDSA signatures before they reach the chain.
 */
export function encodeSignatureBlob(entries: readonly SignatureEntry[]): Hex {
  if (entries.length === 0) throw new ApprovalError("MALFORMED", "no signatures to submit");
  const sorted = [...entries].sort((a, b) => a.index - b.index);
  const parts: Hex[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const { index, kind, signature } = sorted[i]!;
    if (!Number.isInteger(index) || index < 0 || index > 255) {
      throw new ApprovalError("MALFORMED", `signer index ${index} is out of range`);
    }
    if (i > 0 && sorted[i - 1]!.index === index) {
      throw new ApprovalError("DUPLICATE", `two signatures from the same signer (index ${index})`);
    }
    const length = size(signature);
    if (kind === "ecdsa" && length !== 65) {
      throw new ApprovalError("MALFORMED", `an ECDSA signature must be 65 bytes, this one is ${length}`);
    }
    if (length > 0xffff) throw new ApprovalError("MALFORMED", "signature longer than 65535 bytes");
    parts.push(numberToHex(index, { size: 1 }), numberToHex(KIND_CODE[kind], { size: 1 }));
    parts.push(numberToHex(length, { size: 2 }), signature);
  }
  return concat(parts);
}

/** Strictly parses a blob (same rules as the contract: no truncation, no padding, ascending indexes). */
export function decodeSignatureBlob(blob: Hex): SignatureEntry[] {
  const total = size(blob);
  if (total === 0) throw new ApprovalError("MALFORMED", "the signature list is empty");
  const entries: SignatureEntry[] = [];
  let offset = 0;
  while (offset < total) {
    if (offset + 4 > total) throw new ApprovalError("MALFORMED", `signature list truncated at byte ${offset}`);
    const index = hexToNumber(sliceHex(blob, offset, offset + 1));
    const kindCode = hexToNumber(sliceHex(blob, offset + 1, offset + 2));
    const length = hexToNumber(sliceHex(blob, offset + 2, offset + 4));
    const end = offset + 4 + length;
    if (end > total) throw new ApprovalError("MALFORMED", `signature list truncated at byte ${offset}`);
    if (kindCode > 1) throw new ApprovalError("MALFORMED", `unknown signature kind ${kindCode}`);
    const previous = entries[entries.length - 1];
    if (previous && previous.index >= index) {
      throw new ApprovalError("MALFORMED", "signatures must be sorted by signer without duplicates");
    }
    entries.push({
      index,
      kind: kindCode === 0 ? "ecdsa" : "erc1271",
      signature: length === 0 ? "0x" : sliceHex(blob, offset + 4, end),
    });
    offset = end;
  }
  return entries;
}
