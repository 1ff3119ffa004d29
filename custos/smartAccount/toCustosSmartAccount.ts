import {
  decodeFunctionData,
  encodeFunctionData,
  hashMessage,
  hashTypedData,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TypedDataDefinition,
} from "viem";
import {
  entryPoint08Abi,
  entryPoint08Address,
  toSmartAccount,
  type SmartAccount,
  type SmartAccountImplementation,
} from "viem/account-abstraction";
import { getFactoryData, predictAccountAddress, type GuardianConfig } from "../config.js";
import { messageTypedData } from "../approvals/typedData.js";
import { custosAccountAbi } from "../generated/abis.js";
import { InvalidInputError } from "../errors.js";
import { isLockExemptCall } from "./selectors.js";
import { readEntryPointNonce, signUserOperationHash, STUB_SIGNATURE } from "./signing.js";

export type CustosSmartAccountImplementation = SmartAccountImplementation<
  typeof entryPoint08Abi,
  "0.8",
  { abi: typeof custosAccountAbi; owner: LocalAccount; factory: Address }
>;
export type CustosSmartAccount = SmartAccount<CustosSmartAccountImplementation>;

export interface ToCustosSmartAccountParameters {
  client: PublicClient;
  /** The key that signs owner-path UserOperations and ERC-1271 messages. */
  owner: LocalAccount;
  factory: Address;
  /** Needed to compute the address and to deploy the account with its first UserOperation. */
  config?: GuardianConfig;
  salt?: bigint;
  /** The account's address when known (e.g. after a recovery the owner no longer derives it). */
  address?: Address;
}

/**
 * A Custos account as a viem SmartAccount (EntryPoint v0.8): owner-signed UserOperations whose
 * callData is `execute` (one call) or `executeBatch` (several). The first UserOperation deploys the
 * account through the factory when `config` is given.
 */
export async function toCustosSmartAccount(parameters: ToCustosSmartAccountParameters): Promise<CustosSmartAccount> {
  const { client, owner, factory, config, salt = 0n } = parameters;
  if (!parameters.address && !config) {
    throw new InvalidInputError("either the account address or its guardian configuration is needed");
  }
  const address = parameters.address ?? (await predictAccountAddress(client, factory, owner.address, config!, salt));
  const entryPoint = { abi: entryPoint08Abi, address: entryPoint08Address, version: "0.8" } as const;

  const account = await toSmartAccount<CustosSmartAccountImplementation>({
    client,
    entryPoint,
    extend: { abi: custosAccountAbi, owner, factory },

    async getAddress() {
      return address;
    },

    async getFactoryArgs() {
      if (!config) {
        throw new InvalidInputError(
          `account ${address} is not deployed and its guardian configuration was not given, so it cannot be created`,
        );
      }
      return { factory, factoryData: getFactoryData(owner.address, config, salt) };
    },

    async encodeCalls(calls) {
      if (calls.length === 0) throw new InvalidInputError("a UserOperation needs at least one call");
      // A rotation or configuration change goes as the raw self-call: the account validates it by its
      // selector and accepts it under a guardian lock (S4, S12), which `execute` would refuse.
      if (isLockExemptCall(address, calls)) return calls[0]!.data!;
      if (calls.length === 1) {
        const call = calls[0]!;
        return encodeFunctionData({
          abi: custosAccountAbi,
          functionName: "execute",
          args: [call.to, call.value ?? 0n, call.data ?? "0x"],
        });
      }
      return encodeFunctionData({
        abi: custosAccountAbi,
        functionName: "executeBatch",
        args: [calls.map((call) => ({ target: call.to, value: call.value ?? 0n, data: call.data ?? "0x" }))],
      });
    },

    async decodeCalls(data) {
      if (isLockExemptCall(address, [{ to: address, data }])) return [{ to: address, value: 0n, data }];
      const decoded = decodeFunctionData({ abi: custosAccountAbi, data });
      if (decoded.functionName === "execute") {
        const [to, value, callData] = decoded.args;
        return [{ to, value, data: callData }];
      }
      if (decoded.functionName === "executeBatch") {
        return decoded.args[0].map((call) => ({ to: call.target, value: call.value, data: call.data }));
      }
      throw new InvalidInputError(`callData calls ${decoded.functionName}, not execute or executeBatch`);
    },

    async getNonce(args) {
      return readEntryPointNonce(client, address, args?.key);
    },

    async getStubSignature() {
      return STUB_SIGNATURE;
    },

    async signMessage({ message }) {
      return signWrapped(owner, client, address, hashMessage(message));
    },

    async signTypedData(typedData) {
      return signWrapped(owner, client, address, hashTypedData(typedData as TypedDataDefinition));
    },

    async signUserOperation(userOperation) {
      return signUserOperationHash(owner, client, { ...userOperation, sender: address });
    },
  });
  // Sequential nonces (key 0 unless asked): a stuck operation can be replaced by one with the same nonce.
  account.getNonce = (args) => readEntryPointNonce(client, address, args?.key);
  return account;
}

/** ERC-1271: the owner signs the EIP-712 `CustosMessage(bytes32 hash)` wrapper bound to this account. */
async function signWrapped(owner: LocalAccount, client: PublicClient, account: Address, hash: Hex): Promise<Hex> {
  const chainId = client.chain?.id ?? (await client.getChainId());
  return owner.signTypedData(messageTypedData(chainId, account, hash));
}
