import { getAddress, type Account, type Address, type LocalAccount, type WalletClient } from "viem";
import { InvalidInputError } from "../errors.js";
import { approvalTypedData, type ApprovalRequest } from "./typedData.js";
import type { SignedApproval } from "./types.js";

/** A key held locally, or a connected wallet (injected, WalletConnect...) that can sign typed data. */
export type ApprovalSigner = LocalAccount | WalletClient;

function isWalletClient(signer: ApprovalSigner): signer is WalletClient {
  return (signer as WalletClient).type === "walletClient";
}

/**
 * Signs `request` with EIP-712 (`signTypedData`). For a contract guardian (ERC-1271), pass `signer`
 * as the contract's address and a key or wallet whose signature the contract accepts.
 */
export async function signApproval(
  signer: ApprovalSigner,
  request: ApprovalRequest,
  options: { signerAddress?: Address } = {},
): Promise<SignedApproval> {
  const typedData = approvalTypedData(request);
  let key: Address;
  let signature: `0x${string}`;
  if (isWalletClient(signer)) {
    const account: Account | Address | undefined =
      signer.account ?? (await signer.getAddresses().then((addresses) => addresses[0]));
    if (!account) throw new InvalidInputError("the wallet has no account to sign with");
    key = typeof account === "string" ? account : account.address;
    signature = await signer.signTypedData({ account, ...typedData });
  } else {
    key = signer.address;
    signature = await signer.signTypedData(typedData);
  }
  return { ...request, signer: getAddress(options.signerAddress ?? key), signature };
}
