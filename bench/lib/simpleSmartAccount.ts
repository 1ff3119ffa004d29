import { encodeFunctionData, type Address, type LocalAccount, type PublicClient } from "viem";
import {
  entryPoint08Abi,
  entryPoint08Address,
  getUserOperationTypedData,
  toSmartAccount,
  type SmartAccount,
  type SmartAccountImplementation,
} from "viem/account-abstraction";
import { simpleFactoryAbi } from "./accounts.js";
import { readPublished } from "./builds.js";

type SimpleImplementation = SmartAccountImplementation<typeof entryPoint08Abi, "0.8">;

/**
 * SimpleAccount v0.8 (eth-infinitism's published build) as a viem SmartAccount, as permissionless's
 * `toSimpleSmartAccount` builds it on viem's `toSmartAccount` (viem itself ships no factory-deployed
 * SimpleAccount): `execute`/`executeBatch` call data, the owner signs the EIP-712 UserOperation.
 *
 * `nonceKey` fixes the EntryPoint nonce key (0: the sequential lane, like Custos's client). Left
 * out, viem's default applies: a new key from the clock (`Date.now()`) for every operation, so each
 * operation opens a fresh nonce slot in the EntryPoint.
 */
export async function toSimpleSmartAccount(parameters: {
  client: PublicClient;
  owner: LocalAccount;
  factory: Address;
  nonceKey?: bigint;
  salt?: bigint;
}): Promise<SmartAccount<SimpleImplementation>> {
  const { client, owner, factory, nonceKey, salt = 0n } = parameters;
  const abi = readPublished("SimpleAccount").abi;
  const address = await client.readContract({
    address: factory,
    abi: simpleFactoryAbi,
    functionName: "getAddress",
    args: [owner.address, salt],
  });
  return toSmartAccount<SimpleImplementation>({
    client,
    entryPoint: { abi: entryPoint08Abi, address: entryPoint08Address, version: "0.8" },
    async getAddress() {
      return address;
    },
    async getFactoryArgs() {
      const factoryData = encodeFunctionData({
        abi: simpleFactoryAbi,
        functionName: "createAccount",
        args: [owner.address, salt],
      });
      return { factory, factoryData };
    },
    async encodeCalls(calls) {
      if (calls.length === 1) {
        const call = calls[0]!;
        return encodeFunctionData({
          abi,
          functionName: "execute",
          args: [call.to, call.value ?? 0n, call.data ?? "0x"],
        });
      }
      return encodeFunctionData({
        abi,
        functionName: "executeBatch",
        args: [calls.map((call) => ({ target: call.to, value: call.value ?? 0n, data: call.data ?? "0x" }))],
      });
    },
    async getNonce(args) {
      return client.readContract({
        address: entryPoint08Address,
        abi: entryPoint08Abi,
        functionName: "getNonce",
        args: [address, nonceKey ?? args?.key ?? 0n],
      });
    },
    async getStubSignature() {
      // permissionless's stub: 65 bytes that recover to some address, so validation runs its ecrecover.
      return "0xfffffffffffffffffffffffffffffff0000000000000000000000000000000007aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1c";
    },
    async signMessage() {
      throw new Error("SimpleAccount does not implement ERC-1271");
    },
    async signTypedData() {
      throw new Error("SimpleAccount does not implement ERC-1271");
    },
    async signUserOperation(userOperation) {
      const { chainId = client.chain!.id, ...op } = userOperation;
      return owner.signTypedData(
        getUserOperationTypedData({
          chainId,
          entryPointAddress: entryPoint08Address,
          userOperation: { ...op, sender: address },
        }),
      );
    },
  });
}
