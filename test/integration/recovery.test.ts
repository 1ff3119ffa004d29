/**
 * Through the real alto bundler on a local chain: an account created by its first UserOperation, ETH
 * transfers, and a complete lost-signer recovery done only with UserOperations paid by the account
 * while the guardians and the new owner hold no ETH (S1, S2, S8).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hashMessage, parseEther, type Address, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { guardianIndex, type GuardianConfig } from "../../custos/config.js";
import { approvalTypedData } from "../../custos/approvals/typedData.js";
import { encodeSignatureBlob } from "../../custos/approvals/signatureBlob.js";
import { custosAccountAbi } from "../../custos/generated/abis.js";
import { createCustosBundlerClient } from "../../custos/smartAccount/bundler.js";
import { OWNER_INDEX } from "../../custos/approvals/signatureBlob.js";
import {
  sendCancelRecoveryUserOp,
  sendExecuteRecoveryUserOp,
  sendStartRecoveryUserOp,
  toRecoverySmartAccount,
} from "../../custos/smartAccount/recoveryUserOps.js";
import { toCustosSmartAccount, type CustosSmartAccount } from "../../custos/smartAccount/toCustosSmartAccount.js";
import { UserOperationError } from "../../custos/userop/errors.js";
import { assertIncluded, chainNow, runUserOperation, type UserOperationStatus } from "../../custos/userop/lifecycle.js";
import { demoConfig, startFixture, type Fixture } from "./helpers/fixture.js";

const fresh = () => privateKeyToAccount(generatePrivateKey());

describe("account lifecycle and lost-signer recovery through the bundler", { timeout: 240_000 }, () => {
  let fx: Fixture;
  const owner = fresh();
  const newOwner = fresh();
  const guardians = [fresh(), fresh(), fresh()];
  const recipient = fresh().address;
  let config: GuardianConfig;
  let account: CustosSmartAccount;

  const bundlerFor = (smartAccount: CustosSmartAccount) =>
    createCustosBundlerClient({ client: fx.client, account: smartAccount, bundlerUrl: fx.stack.bundlerUrl });

  const nobodyButTheAccountHasEth = async () => {
    for (const who of [newOwner, ...guardians])
      assert.equal(await fx.balance(who.address), 0n, `${who.address} has ETH`);
  };

  const readState = async () => {
    const [, , recovering, epoch, nonce] = await fx.client.readContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "accountState",
    });
    return { recovering, epoch, nonce };
  };

  /** 2-of-3 guardian approvals of a recovery to `proposed`, as the blob startRecovery takes. */
  const recoveryApprovals = async (proposed: Address, approvers: LocalAccount[], deadline: bigint) => {
    const { epoch, nonce } = await readState();
    const entries = await Promise.all(
      approvers.map(async (guardian) => ({
        index: guardianIndex(config, guardian.address),
        kind: "ecdsa" as const,
        signature: (await guardian.signTypedData(
          approvalTypedData({
            kind: "Recovery",
            chainId: fx.stack.chain.id,
            account: account.address,
            newOwner: proposed,
            nonce,
            epoch,
            deadline,
          }),
        )) as Hex,
      })),
    );
    return encodeSignatureBlob(entries);
  };

  const recoveryBundlerFor = async (signer: LocalAccount) =>
    createCustosBundlerClient({
      client: fx.client,
      account: await toRecoverySmartAccount({ client: fx.client, account: account.address, signer }),
      bundlerUrl: fx.stack.bundlerUrl,
    });

  before(async () => {
    fx = await startFixture({ chainPort: 8680, bundlerPort: 4400 });
    config = demoConfig(guardians, 2);
    account = await toCustosSmartAccount({
      client: fx.client,
      owner,
      factory: fx.stack.deployment.factory,
      config,
    });
  });

  after(async () => {
    await fx?.stack.stop();
  });

  it("creates the account with its first UserOperation, which also sends ETH", async () => {
    assert.equal(await account.isDeployed(), false);
    await fx.fund(account.address, "1");
    const states: UserOperationStatus[] = [];
    const final = await runUserOperation({
      bundlerClient: bundlerFor(account),
      calls: [{ to: recipient, value: parseEther("0.1") }],
      onState: (state) => states.push(state.status),
    });
    assertIncluded(final);
    assert.deepEqual(
      [states[0], states[1], states[2], states.at(-1)],
      ["preparing", "awaiting-signature", "submitted", "included"],
    );
    assert.equal(await account.isDeployed(), true);
    assert.equal(await fx.balance(recipient), parseEther("0.1"));
    const owner_ = await fx.client.readContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "owner",
    });
    assert.equal(owner_, owner.address);
  });

  it("sends a batch of two transfers in one UserOperation", async () => {
    const other = fresh().address;
    const final = await runUserOperation({
      bundlerClient: bundlerFor(account),
      calls: [
        { to: recipient, value: parseEther("0.01") },
        { to: other, value: parseEther("0.02") },
      ],
    });
    assertIncluded(final);
    assert.equal(await fx.balance(recipient), parseEther("0.11"));
    assert.equal(await fx.balance(other), parseEther("0.02"));
  });

  it("signs ERC-1271 messages that the deployed account accepts", async () => {
    const message = "Sign in to Custos";
    const signature = await account.signMessage({ message });
    const result = await fx.client.readContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "isValidSignature",
      args: [hashMessage(message), signature],
    });
    assert.equal(result, "0x1626ba7e");
    const forged = await fresh().signMessage({ message });
    const refused = await fx.client.readContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "isValidSignature",
      args: [hashMessage(message), forged],
    });
    assert.equal(refused, "0xffffffff");
  });

  it("refuses a recovery UserOperation with too few approvals, with a precise message", async () => {
    const proposed = fresh();
    const deadline = (await chainNow(fx.client)) + 2n * 86_400n;
    const signatures = await recoveryApprovals(proposed.address, [guardians[1]!], deadline);
    await assert.rejects(
      sendStartRecoveryUserOp(await recoveryBundlerFor(proposed), {
        newOwner: proposed.address,
        deadline,
        config,
        signatures,
      }),
      (error: unknown) => {
        assert.ok(error instanceof UserOperationError);
        assert.equal(error.code, "NotEnoughApprovals");
        assert.match(error.reason, /not enough approvals: 1 valid, 2 needed/);
        return true;
      },
    );
    assert.equal((await readState()).recovering, false);
  });

  it("cancels an unwanted recovery with the owner and one guardian, by UserOperations only", async () => {
    const intruder = fresh();
    const deadline = (await chainNow(fx.client)) + 2n * 86_400n;
    const signatures = await recoveryApprovals(intruder.address, [guardians[0]!, guardians[1]!], deadline);
    assertIncluded(
      await sendStartRecoveryUserOp(await recoveryBundlerFor(intruder), {
        newOwner: intruder.address,
        deadline,
        config,
        signatures,
      }),
    );
    assert.equal((await readState()).recovering, true);

    // Quorum ⌈(3+1)/2⌉ = 2: the owner (index 255) and guardian #2.
    const { epoch, nonce } = await readState();
    const cancel = (signer: LocalAccount) =>
      signer.signTypedData(
        approvalTypedData({
          kind: "CancelRecovery",
          chainId: fx.stack.chain.id,
          account: account.address,
          newOwner: intruder.address,
          nonce,
          epoch,
          deadline,
        }),
      );
    const blob = encodeSignatureBlob([
      { index: OWNER_INDEX, kind: "ecdsa", signature: await cancel(owner) },
      { index: guardianIndex(config, guardians[2]!.address), kind: "ecdsa", signature: await cancel(guardians[2]!) },
    ]);
    assertIncluded(
      await sendCancelRecoveryUserOp(await recoveryBundlerFor(owner), { deadline, config, signatures: blob }),
    );
    assert.equal((await readState()).recovering, false);
    assert.equal(await fx.balance(intruder.address), 0n);
    await nobodyButTheAccountHasEth();
    // The owner key works again.
    assertIncluded(
      await runUserOperation({ bundlerClient: bundlerFor(account), calls: [{ to: recipient, value: 1n }] }),
    );
  });

  it("recovers to a new owner with 2-of-3 guardian approvals, every step paid by the account", async () => {
    await nobodyButTheAccountHasEth();
    // S13: the account pays for one recovery start per recovery delay; the cancelled one was paid.
    await fx.timeTravel(Number(config.recoveryDelay));
    // validUntil of the start UserOperation is the deadline; alto wants it well ahead of the wall clock.
    const deadline = (await chainNow(fx.client)) + 2n * 86_400n;
    const signatures = await recoveryApprovals(newOwner.address, [guardians[2]!, guardians[0]!], deadline);
    const recoveryBundler = await recoveryBundlerFor(newOwner);
    const balanceBefore = await fx.balance(account.address);
    assertIncluded(
      await sendStartRecoveryUserOp(recoveryBundler, { newOwner: newOwner.address, deadline, config, signatures }),
    );
    const [pendingOwner, executeAfter] = await fx.client.readContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "pendingRecovery",
    });
    assert.equal(pendingOwner, newOwner.address);
    assert.ok((await fx.balance(account.address)) < balanceBefore, "the account paid for the start");
    await nobodyButTheAccountHasEth();

    // The owner key is frozen while the recovery is pending.
    await assert.rejects(
      runUserOperation({ bundlerClient: bundlerFor(account), calls: [{ to: recipient, value: 1n }] }),
      (error: unknown) => error instanceof UserOperationError && error.code === "RecoveryPending",
    );

    // Too early: a precise message, nothing sent.
    await assert.rejects(sendExecuteRecoveryUserOp(recoveryBundler), (error: unknown) => {
      assert.ok(error instanceof UserOperationError);
      assert.equal(error.code, "RecoveryNotExecutable");
      assert.match(error.reason, /recovery not yet executable: \d+ (min|s)/);
      return true;
    });

    await fx.timeTravel(Number(executeAfter - (await chainNow(fx.client))) + 1);
    assertIncluded(await sendExecuteRecoveryUserOp(recoveryBundler));
    const currentOwner = await fx.client.readContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "owner",
    });
    assert.equal(currentOwner, newOwner.address);
    await nobodyButTheAccountHasEth();
  });

  it("lets the new owner send ETH with a normal UserOperation", async () => {
    const recovered = await toCustosSmartAccount({
      client: fx.client,
      owner: newOwner,
      factory: fx.stack.deployment.factory,
      address: account.address,
    });
    const target: Address = fresh().address;
    assertIncluded(
      await runUserOperation({
        bundlerClient: bundlerFor(recovered),
        calls: [{ to: target, value: parseEther("0.05") }],
      }),
    );
    assert.equal(await fx.balance(target), parseEther("0.05"));
    assert.equal(await fx.balance(newOwner.address), 0n);
  });

  it("rejects the old owner's UserOperation with a signature error", async () => {
    const before_ = await fx.balance(account.address);
    await assert.rejects(
      runUserOperation({ bundlerClient: bundlerFor(account), calls: [{ to: recipient, value: 1n }] }),
      (error: unknown) => {
        assert.ok(error instanceof UserOperationError);
        assert.equal(error.code, "AA24");
        assert.match(error.reason, /signature/);
        return true;
      },
    );
    assert.equal(await fx.balance(account.address), before_);
  });
});
