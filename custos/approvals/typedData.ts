import type { Address, TypedDataDomain } from "viem";

/** What a guardian (or, for a cancel, the owner) signs. Bound to chain, account, nonce, epoch, deadline (S6). */
export type ApprovalKind = "Recovery" | "Rotation" | "CancelRecovery";

export interface ApprovalRequest {
  kind: ApprovalKind;
  chainId: number;
  account: Address;
  /** Recovery/Rotation: the proposed owner. CancelRecovery: the pending recovery's new owner. */
  newOwner: Address;
  nonce: bigint;
  epoch: bigint;
  /** Unix seconds after which the approval is useless. */
  deadline: bigint;
}

const fields = [
  { name: "newOwner", type: "address" },
  { name: "nonce", type: "uint256" },
  { name: "epoch", type: "uint256" },
  { name: "deadline", type: "uint256" },
] as const;

export const approvalTypes = {
  Recovery: fields,
  Rotation: fields,
  CancelRecovery: fields,
} as const;

export function custosDomain(chainId: number, account: Address): TypedDataDomain {
  return { name: "Custos", version: "1", chainId, verifyingContract: account };
}

/** EIP-712 typed data of an approval, ready for `signTypedData` (local key or a wallet). */
export function approvalTypedData(request: ApprovalRequest) {
  return {
    domain: custosDomain(request.chainId, request.account),
    types: { [request.kind]: fields } as Record<ApprovalKind, typeof fields>,
    primaryType: request.kind,
    message: {
      newOwner: request.newOwner,
      nonce: request.nonce,
      epoch: request.epoch,
      deadline: request.deadline,
    },
  } as const;
}

/** EIP-712 typed data of the owner's ERC-1271 message wrapper `CustosMessage(bytes32 hash)`. */
export function messageTypedData(chainId: number, account: Address, hash: `0x${string}`) {
  return {
    domain: custosDomain(chainId, account),
    types: { CustosMessage: [{ name: "hash", type: "bytes32" }] },
    primaryType: "CustosMessage",
    message: { hash },
  } as const;
}
