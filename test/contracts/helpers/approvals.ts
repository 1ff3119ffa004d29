import type { Signer, TypedDataDomain } from "ethers";
import type { CustosAccount } from "../../../types/ethers-contracts/index.js";

export type ApprovalType = "Recovery" | "Rotation" | "CancelRecovery";

const FIELDS = [
  { name: "newOwner", type: "address" },
  { name: "nonce", type: "uint256" },
  { name: "epoch", type: "uint256" },
  { name: "deadline", type: "uint256" },
];

export interface ApprovalMessage {
  newOwner: string;
  nonce: bigint;
  epoch: bigint;
  deadline: bigint;
}

export function custosDomain(chainId: bigint, account: string): TypedDataDomain {
  return { name: "Custos", version: "1", chainId, verifyingContract: account };
}

/** Signs an approval of type `type` with an explicit domain and message (for replay attacks). */
export async function signApprovalRaw(
  signer: Signer,
  type: ApprovalType,
  domain: TypedDataDomain,
  message: ApprovalMessage,
): Promise<string> {
  return signer.signTypedData(domain, { [type]: FIELDS }, message);
}

/** The current nonce and epoch of `account`. */
export async function nonceAndEpoch(account: CustosAccount): Promise<{ nonce: bigint; epoch: bigint }> {
  const state = await account.accountState();
  return { nonce: state.nonce, epoch: state.epoch };
}

/** Signs an approval bound to `account`'s current nonce and epoch on the current chain. */
export async function signApproval(
  signer: Signer,
  account: CustosAccount,
  type: ApprovalType,
  newOwner: string,
  deadline: bigint,
): Promise<string> {
  const network = await account.runner!.provider!.getNetwork();
  const domain = custosDomain(network.chainId, await account.getAddress());
  return signApprovalRaw(signer, type, domain, { newOwner, deadline, ...(await nonceAndEpoch(account)) });
}

/** Signs `getMessageHash(hash)` of `account` with its owner for ERC-1271. */
export async function signCustosMessage(signer: Signer, account: CustosAccount, hash: string): Promise<string> {
  const network = await account.runner!.provider!.getNetwork();
  const domain = custosDomain(network.chainId, await account.getAddress());
  return signer.signTypedData(domain, { CustosMessage: [{ name: "hash", type: "bytes32" }] }, { hash });
}

/** Signer of one blob entry: a key that signs directly, at its index in the configuration. */
export interface IndexedSigner {
  index: number;
  signer: Signer;
}

/** Signs the same approval with every signer and returns blob entries in the given order. */
export async function signEntries(
  signers: readonly IndexedSigner[],
  account: CustosAccount,
  type: ApprovalType,
  newOwner: string,
  deadline: bigint,
): Promise<{ index: number; signature: string }[]> {
  return Promise.all(
    signers.map(async ({ index, signer }) => ({
      index,
      signature: await signApproval(signer, account, type, newOwner, deadline),
    })),
  );
}
