import type { Address, Hex, LocalAccount, PublicClient } from "viem";
import {
  entryPoint08Abi,
  entryPoint08Address,
  getUserOperationHash,
  getUserOperationTypedData,
  type UserOperation,
} from "viem/account-abstraction";

/**
 * A real 65-byte ECDSA signature (low s, v = 27) of an unrelated hash by an unrelated key: during gas
 * estimation the account runs the same `ecrecover` as for a real signature and simply finds the
 * wrong signer, so the estimate matches the real cost.
 */
export const STUB_SIGNATURE: Hex =
  "0xae4a44b80feb1c0adaf63d92a66492377a00087b7de84a43eafd6a014be5c5e452be63bd2c34199af79d5e588eab50edcdc16a13ab1ad6db9be46917728251f41b";

/** The EntryPoint v0.8 nonce of `account` for `key` (0: the sequential lane). */
export async function readEntryPointNonce(client: PublicClient, account: Address, key: bigint = 0n): Promise<bigint> {
  return client.readContract({
    address: entryPoint08Address,
    abi: entryPoint08Abi,
    functionName: "getNonce",
    args: [account, key],
  });
}

/**
 * Signs the EntryPoint v0.8 userOpHash (itself an EIP-712 hash) with no prefix, as the account checks
 * it: a raw hash signature when the key can produce one, else the identical typed-data signature.
 */
export async function signUserOperationHash(
  signer: LocalAccount,
  client: PublicClient,
  userOperation: UserOperation<"0.8"> & { chainId?: number },
): Promise<Hex> {
  const { chainId: given, ...op } = userOperation;
  const chainId = given ?? client.chain?.id ?? (await client.getChainId());
  if (signer.sign) {
    const hash = getUserOperationHash({
      chainId,
      entryPointAddress: entryPoint08Address,
      entryPointVersion: "0.8",
      userOperation: op,
    });
    return signer.sign({ hash });
  }
  return signer.signTypedData(
    getUserOperationTypedData({ chainId, entryPointAddress: entryPoint08Address, userOperation: op }),
  );
}
