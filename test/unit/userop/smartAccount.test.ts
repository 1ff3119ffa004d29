import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createPublicClient,
  decodeFunctionData,
  encodeFunctionData,
  hashMessage,
  hashTypedData,
  http,
  recoverAddress,
  size,
  sliceHex,
  hexToBigInt,
  type Address,
} from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { entryPoint08Address, getUserOperationHash, type UserOperation } from "viem/account-abstraction";
import { messageTypedData } from "../../../custos/approvals/typedData.js";
import { getFactoryData, normalizeConfig } from "../../../custos/config.js";
import { CustosError } from "../../../custos/errors.js";
import { custosAccountAbi } from "../../../custos/generated/abis.js";
import { RECOVERY_SELECTORS, toRecoverySmartAccount } from "../../../custos/smartAccount/recoveryUserOps.js";
import { STUB_SIGNATURE } from "../../../custos/smartAccount/signing.js";
import { toCustosSmartAccount } from "../../../custos/smartAccount/toCustosSmartAccount.js";

// No request reaches this URL: every behaviour tested here is local (address given, no nonce read).
const client = createPublicClient({ chain: hardhat, transport: http("http://127.0.0.1:1") });
const owner = privateKeyToAccount(generatePrivateKey());
const address: Address = "0x1111111111111111111111111111111111111111";
const factory: Address = "0x2222222222222222222222222222222222222222";
const config = normalizeConfig({
  guardians: [privateKeyToAccount(generatePrivateKey()).address],
  threshold: 1,
  recoveryDelay: 60,
  securityPeriod: 20,
  securityWindow: 20,
  lockPeriod: 30,
});
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

const userOperation = (): UserOperation<"0.8"> => ({
  sender: address,
  nonce: 3n,
  callData: "0x",
  callGasLimit: 100_000n,
  verificationGasLimit: 100_000n,
  preVerificationGas: 50_000n,
  maxFeePerGas: 2_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
  signature: "0x",
});

describe("toCustosSmartAccount", () => {
  it("wraps one call in execute and several in executeBatch", async () => {
    const account = await toCustosSmartAccount({ client, owner, factory, config, address });
    const one = await account.encodeCalls([{ to: factory, value: 5n, data: "0xabcd" }]);
    const decodedOne = decodeFunctionData({ abi: custosAccountAbi, data: one });
    assert.equal(decodedOne.functionName, "execute");
    assert.deepEqual(decodedOne.args, [factory, 5n, "0xabcd"]);

    const two = await account.encodeCalls([{ to: factory }, { to: address, value: 1n }]);
    const decodedTwo = decodeFunctionData({ abi: custosAccountAbi, data: two });
    assert.equal(decodedTwo.functionName, "executeBatch");
    assert.deepEqual(await account.decodeCalls!(two), [
      { to: factory, value: 0n, data: "0x" },
      { to: address, value: 1n, data: "0x" },
    ]);
  });

  it("sends a rotation or configuration change of the account itself as the raw self-call (a lock refuses execute), anything else wrapped", async () => {
    const account = await toCustosSmartAccount({ client, owner, factory, config, address });
    const raw = [
      encodeFunctionData({
        abi: custosAccountAbi,
        functionName: "rotateOwner",
        args: [owner.address, 1n, config, "0x"],
      }),
      encodeFunctionData({ abi: custosAccountAbi, functionName: "requestConfigChange", args: [config, config] }),
      encodeFunctionData({ abi: custosAccountAbi, functionName: "confirmConfigChange", args: [config] }),
    ];
    for (const data of raw) {
      assert.equal(await account.encodeCalls([{ to: address, data }]), data);
      assert.deepEqual(await account.decodeCalls!(data), [{ to: address, value: 0n, data }]);
      // The same call to another contract, with value, or in a batch is an ordinary call.
      for (const calls of [
        [{ to: factory, data }],
        [{ to: address, value: 1n, data }],
        [{ to: address, data }, { to: factory }],
      ]) {
        const name = decodeFunctionData({ abi: custosAccountAbi, data: await account.encodeCalls(calls) }).functionName;
        assert.ok(name === "execute" || name === "executeBatch", name);
      }
    }
    const cancelChange = encodeFunctionData({
      abi: custosAccountAbi,
      functionName: "cancelConfigChange",
      args: [`0x${"11".repeat(32)}`],
    });
    assert.equal(
      decodeFunctionData({
        abi: custosAccountAbi,
        data: await account.encodeCalls([{ to: address, data: cancelChange }]),
      }).functionName,
      "execute",
    );
  });

  it("offers the factory's createAccount call as factory data", async () => {
    const account = await toCustosSmartAccount({ client, owner, factory, config, address });
    const implementation = await (
      account as unknown as { getFactoryArgs: () => Promise<{ factory: Address; factoryData: `0x${string}` }> }
    ).getFactoryArgs.call({ isDeployed: async () => false });
    assert.deepEqual(implementation, { factory, factoryData: getFactoryData(owner.address, config, 0n) });
  });

  it("has a well-formed stub signature: 65 bytes, low s, v = 27", async () => {
    const account = await toCustosSmartAccount({ client, owner, factory, config, address });
    const stub = await account.getStubSignature();
    assert.equal(stub, STUB_SIGNATURE);
    assert.equal(size(stub), 65);
    assert.ok(hexToBigInt(sliceHex(stub, 32, 64)) <= SECP256K1_HALF_N);
    assert.equal(hexToBigInt(sliceHex(stub, 64, 65)), 27n);
  });

  it("signs the raw v0.8 userOpHash with the owner key", async () => {
    const account = await toCustosSmartAccount({ client, owner, factory, config, address });
    const op = userOperation();
    const signature = await account.signUserOperation(op);
    const hash = getUserOperationHash({
      chainId: hardhat.id,
      entryPointAddress: entryPoint08Address,
      entryPointVersion: "0.8",
      userOperation: op,
    });
    assert.equal(await recoverAddress({ hash, signature }), owner.address);
  });

  it("signs ERC-1271 messages as the EIP-712 CustosMessage wrapper bound to the account", async () => {
    const account = await toCustosSmartAccount({ client, owner, factory, config, address });
    // Pretend deployed so no ERC-6492 wrapping is added.
    const signature = await account.signMessage.call({ ...account, getFactoryArgs: async () => ({}) } as never, {
      message: "hello",
    });
    const wrapped = hashTypedData(messageTypedData(hardhat.id, address, hashMessage("hello")));
    assert.equal(await recoverAddress({ hash: wrapped, signature }), owner.address);
  });

  it("signs ERC-1271 typed data over the same wrapper", async () => {
    const account = await toCustosSmartAccount({ client, owner, factory, config, address });
    const typedData = {
      domain: { name: "Dapp", version: "1", chainId: hardhat.id },
      types: { Login: [{ name: "user", type: "address" }] },
      primaryType: "Login",
      message: { user: owner.address },
    } as const;
    const signature = await account.signTypedData.call(
      { ...account, getFactoryArgs: async () => ({}) } as never,
      typedData,
    );
    const wrapped = hashTypedData(messageTypedData(hardhat.id, address, hashTypedData(typedData)));
    assert.equal(await recoverAddress({ hash: wrapped, signature }), owner.address);
  });

  it("needs an address or a configuration", async () => {
    await assert.rejects(toCustosSmartAccount({ client, owner, factory }), CustosError);
  });
});

describe("toRecoverySmartAccount", () => {
  const executeRecovery = encodeFunctionData({ abi: custosAccountAbi, functionName: "executeRecovery" });

  it("knows the three recovery selectors", () => {
    assert.equal(RECOVERY_SELECTORS.length, 3);
    assert.ok(RECOVERY_SELECTORS.includes(executeRecovery));
  });

  it("passes a recovery self-call through as raw callData", async () => {
    const account = await toRecoverySmartAccount({ client, account: address, signer: owner });
    assert.equal(await account.encodeCalls([{ to: address, data: executeRecovery }]), executeRecovery);
  });

  it("refuses anything else with a CustosError", async () => {
    const account = await toRecoverySmartAccount({ client, account: address, signer: owner });
    const transfer = encodeFunctionData({
      abi: custosAccountAbi,
      functionName: "execute",
      args: [factory, 1n, "0x"],
    });
    for (const calls of [
      [{ to: address, data: transfer }],
      [{ to: factory, data: executeRecovery }],
      [{ to: address, data: executeRecovery, value: 1n }],
      [
        { to: address, data: executeRecovery },
        { to: address, data: executeRecovery },
      ],
    ]) {
      await assert.rejects(account.encodeCalls(calls), (error: unknown) => {
        assert.ok(error instanceof CustosError);
        assert.equal(error.code, "NOT_A_RECOVERY_CALL");
        return true;
      });
    }
  });

  it("signs the userOpHash with the recovery signer", async () => {
    const signer = privateKeyToAccount(generatePrivateKey());
    const account = await toRecoverySmartAccount({ client, account: address, signer });
    const op = { ...userOperation(), callData: executeRecovery };
    const hash = getUserOperationHash({
      chainId: hardhat.id,
      entryPointAddress: entryPoint08Address,
      entryPointVersion: "0.8",
      userOperation: op,
    });
    assert.equal(await recoverAddress({ hash, signature: await account.signUserOperation(op) }), signer.address);
  });
});
