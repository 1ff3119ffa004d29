import { expect } from "chai";
import { network } from "hardhat";
import { toBeHex, zeroPadValue } from "ethers";
import { signApproval } from "./helpers/approvals.js";
import { encodeBlob, OWNER_INDEX } from "./helpers/blob.js";
import { hashConfig, makeConfig, sortAddresses } from "./helpers/config.js";
import {
  createAccount,
  deadlineIn,
  deployCustosContracts,
  randomWallet,
  type AccountSetup,
} from "./helpers/fixture.js";
import { approvalBlob, cancelBlob, startRecovery } from "./helpers/recovery.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

/** keccak256(abi.encode(uint256(keccak256("custos.account.v2")) - 1)) & ~0xff: slot 0 of the account's storage. */
const SLOT0 = "0x5bf0ab5b7416beb9542a7c37c3216e990b5c3365e15587fc196ab3eaec00ce00";

async function withGuardians(n: number, threshold = Math.min(2, n)) {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: n, threshold });
  return { custos, setup };
}
const twoOfThree = () => withGuardians(3, 2);
const twoGuardians = () => withGuardians(2, 2);
const fourGuardians = () => withGuardians(4, 2);

/** Overwrites bits of the account's packed slot 0 (test-only: reaches a counter's maximum). */
async function setSlot0Bits(setup: AccountSetup, position: number, width: number, value: bigint) {
  const address = await setup.account.getAddress();
  const word = BigInt(await ethers.provider.getStorage(address, SLOT0));
  const mask = ((1n << BigInt(width)) - 1n) << BigInt(position);
  const next = (word & ~mask) | (value << BigInt(position));
  await networkHelpers.setStorageAt(address, SLOT0, zeroPadValue(toBeHex(next), 32));
}

describe("S1 amended: a recovery voids pending changes; its UserOperation is valid from executeAfter", function () {
  it("test_startRecovery_voidsPendingConfigChanges_andCancellingRevivesNone", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    await setup.account
      .connect(custos.bundler)
      .cancelRecovery(deadline, setup.config, await cancelBlob(setup, deadline, [0], true));
    await networkHelpers.time.increase(setup.config.securityPeriod);
    expect([...(await setup.account.pendingConfigChange(hashConfig(next)))]).to.deep.equal([0n, 0n]);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next))
      .to.be.revertedWithCustomError(setup.account, "NoPendingConfigChange")
      .withArgs(hashConfig(next));
  });

  it("test_executeRecovery_userOperation_isValidAtExactlyExecuteAfter", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const { newOwner } = await startRecovery(custos, setup);
    const { executeAfter } = await setup.account.pendingRecovery();
    const data = setup.account.interface.encodeFunctionData("executeRecovery");
    const address = await setup.account.getAddress();
    const early = await signedUserOp(custos, address, data, newOwner);
    await networkHelpers.time.setNextBlockTimestamp(executeAfter - 1n);
    await expect(handleOps(custos, [early]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA22 expired or not due");
    await networkHelpers.time.setNextBlockTimestamp(executeAfter);
    await expect(handleOps(custos, [early])).to.emit(setup.account, "RecoveryExecuted");
  });
});

describe("S3 amended: the cancel quorum ⌈(n+1)/2⌉ for n = 2 and n = 4", function () {
  async function cancelWith(fixture: typeof twoGuardians, indexes: number[], withOwner: boolean) {
    const ctx = await networkHelpers.loadFixture(fixture);
    await startRecovery(ctx.custos, ctx.setup, [0, 1]);
    const deadline = await deadlineIn(ctx.custos);
    const blob = await cancelBlob(ctx.setup, deadline, indexes, withOwner);
    return {
      ...ctx,
      tx: ctx.setup.account.connect(ctx.custos.bundler).cancelRecovery(deadline, ctx.setup.config, blob),
    };
  }

  it("test_cancel_n2_revertsWhen_theOwnerAloneSigns (quorum 2, not ⌈n/2⌉ = 1)", async function () {
    const { setup, tx } = await cancelWith(twoGuardians, [], true);
    await expect(tx).to.be.revertedWithCustomError(setup.account, "NotEnoughApprovals").withArgs(1, 2);
  });

  it("test_cancel_n2_revertsWhen_oneGuardianAloneSigns", async function () {
    const { setup, tx } = await cancelWith(twoGuardians, [1], false);
    await expect(tx).to.be.revertedWithCustomError(setup.account, "NotEnoughApprovals").withArgs(1, 2);
  });

  it("test_cancel_n2_succeedsWith_theOwnerAndOneGuardian", async function () {
    const { setup, tx } = await cancelWith(twoGuardians, [0], true);
    await expect(tx).to.emit(setup.account, "RecoveryCancelled");
  });

  it("test_cancel_n4_revertsWhen_theOwnerAndOneGuardianSign (quorum 3)", async function () {
    const { setup, tx } = await cancelWith(fourGuardians, [3], true);
    await expect(tx).to.be.revertedWithCustomError(setup.account, "NotEnoughApprovals").withArgs(2, 3);
  });

  it("test_cancel_n4_succeedsWith_theOwnerAndTwoGuardians", async function () {
    const { setup, tx } = await cancelWith(fourGuardians, [2, 3], true);
    await expect(tx).to.emit(setup.account, "RecoveryCancelled");
  });

  it("test_cancel_n4_succeedsWith_threeGuardians", async function () {
    const { setup, tx } = await cancelWith(fourGuardians, [0, 1, 3], false);
    await expect(tx).to.emit(setup.account, "RecoveryCancelled");
  });

  it("test_cancelUserOperation_revertsWhen_notSignedByTheOwner (AA24), even with the quorum in callData", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, [0, 1], false);
    const data = setup.account.interface.encodeFunctionData("cancelRecovery", [deadline, setup.config, blob]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, setup.guardians[0]!);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
  });

  it("test_cancel_revertsWhen_aForgedGuardianSetSigns: the configuration is checked against the stored hash", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await startRecovery(custos, setup);
    const { newOwner } = await setup.account.pendingRecovery();
    const forgers = [randomWallet(ethers), randomWallet(ethers)].sort((a, b) =>
      BigInt(a.address) < BigInt(b.address) ? -1 : 1,
    );
    const forged = makeConfig(
      forgers.map((f) => f.address),
      1,
    );
    const deadline = await deadlineIn(custos);
    const entries = await Promise.all(
      forgers.map(async (f, index) => ({
        index,
        signature: await signApproval(f, setup.account, "CancelRecovery", newOwner, deadline),
      })),
    );
    await expect(
      setup.account.connect(custos.bundler).cancelRecovery(deadline, forged, encodeBlob(entries)),
    ).to.be.revertedWithCustomError(setup.account, "ConfigMismatch");
    // The same forgery in a UserOperation the owner signed fails in validation.
    const data = setup.account.interface.encodeFunctionData("cancelRecovery", [deadline, forged, encodeBlob(entries)]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, setup.owner);
    await expect(handleOps(custos, [op])).to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert");
  });
});

describe("S6 amended: deadline 0 is invalid everywhere, counters revert at their maximum", function () {
  it("test_deadlineZero_isRejected_byStart_approve_submit_andCancel", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const newOwner = randomWallet(ethers).address;
    const blob = await approvalBlob(setup, "Recovery", newOwner, 0n, [0, 1]);
    const calls = [
      () => setup.account.connect(custos.bundler).startRecovery(newOwner, 0n, setup.config, blob),
      () => setup.account.connect(setup.guardians[0]!).approveRecovery(newOwner, 0n, setup.config, 0),
      () => setup.account.connect(custos.bundler).submitRecoveryApprovals(newOwner, 0n, setup.config, blob),
    ];
    for (const call of calls) {
      await expect(call()).to.be.revertedWithCustomError(setup.account, "InvalidDeadline").withArgs(0n);
    }
    await startRecovery(custos, setup);
    const cancel = await cancelBlob(setup, 0n, [0, 1], false);
    await expect(setup.account.connect(custos.bundler).cancelRecovery(0n, setup.config, cancel))
      .to.be.revertedWithCustomError(setup.account, "InvalidDeadline")
      .withArgs(0n);
  });

  it("test_submitRecoveryApprovals_revertsWhen_aForgedGuardianSetSigns", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const forger = randomWallet(ethers);
    const forged = makeConfig([forger.address], 1);
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const blob = encodeBlob([
      { index: 0, signature: await signApproval(forger, setup.account, "Recovery", newOwner, deadline) },
    ]);
    await expect(
      setup.account.connect(custos.bundler).submitRecoveryApprovals(newOwner, deadline, forged, blob),
    ).to.be.revertedWithCustomError(setup.account, "ConfigMismatch");
  });

  it("test_nonceAtMaximum_cancelRevertsWith_CounterExhausted (never wraps to reuse old approvals)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await setSlot0Bits(setup, 232, 24, (1n << 24n) - 1n);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, [0, 1], false);
    await expect(
      setup.account.connect(custos.bundler).cancelRecovery(deadline, setup.config, blob),
    ).to.be.revertedWithCustomError(setup.account, "CounterExhausted");
  });

  it("test_nonceAtMaximum_executeRevertsWith_CounterExhausted", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await setSlot0Bits(setup, 232, 24, (1n << 24n) - 1n);
    await startRecovery(custos, setup);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    await expect(setup.account.executeRecovery()).to.be.revertedWithCustomError(setup.account, "CounterExhausted");
  });

  it("test_counterAtMaximum_rotationAndConfirmRevertWith_CounterExhausted", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    // Epoch at its maximum: the configuration still reads (slot 1 holds the creation hash).
    const address = await setup.account.getAddress();
    const slot1 = zeroPadValue(toBeHex(BigInt(SLOT0) + 1n), 32);
    await networkHelpers.setStorageAt(address, slot1, hashConfig(setup.config));
    await setSlot0Bits(setup, 208, 24, (1n << 24n) - 1n);
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Rotation", newOwner, deadline, [0, 1]);
    await expect(
      setup.account.connect(setup.owner).rotateOwner(newOwner, deadline, setup.config, blob),
    ).to.be.revertedWithCustomError(setup.account, "CounterExhausted");
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.be.revertedWithCustomError(
      setup.account,
      "CounterExhausted",
    );
  });
});

describe("S10 amended: an upgraded account keeps its guardians working", function () {
  it("test_upgrade_thenGuardiansLock_unlock_andRecover", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const impl = await ethers.deployContract("CustosAccountV2", [custos.entryPoint.target, custos.bounds, custos.caps]);
    await setup.account.connect(setup.owner).upgradeToAndCall(impl.target, "0x");
    await expect(setup.account.connect(setup.guardians[0]!).lock(setup.config, 0)).to.emit(setup.account, "Locked");
    await expect(setup.account.connect(setup.guardians[1]!).unlock(setup.config, 1)).to.emit(setup.account, "Unlocked");
    const { newOwner } = await startRecovery(custos, setup, [1, 2]);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    await setup.account.executeRecovery();
    expect(await setup.account.owner()).to.equal(newOwner.address);
  });

  it("test_ownerEntryInCancelBlob_cannotBeForgedByAGuardian", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await startRecovery(custos, setup);
    const { newOwner } = await setup.account.pendingRecovery();
    const deadline = await deadlineIn(custos);
    // Guardian 0 signs twice: as itself and in the owner's slot.
    const own = await signApproval(setup.guardians[0]!, setup.account, "CancelRecovery", newOwner, deadline);
    const blob = encodeBlob([
      { index: 0, signature: own },
      { index: OWNER_INDEX, signature: own },
    ]);
    await expect(setup.account.connect(custos.bundler).cancelRecovery(deadline, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "InvalidSignature")
      .withArgs(setup.owner.address);
  });

  it("test_lockAfterGuardianRemoval_revertsForTheRemovedGuardian", async function () {
    const { setup } = await networkHelpers.loadFixture(twoOfThree);
    const remaining = sortAddresses([setup.config.guardians[0]!, setup.config.guardians[1]!]);
    const next = makeConfig(remaining, 2);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await setup.account.connect(setup.owner).confirmConfigChange(next);
    await expect(setup.account.connect(setup.guardians[2]!).lock(next, 1)).to.be.revertedWithCustomError(
      setup.account,
      "NotGuardian",
    );
  });
});

describe("S13/S14 edges: views, stale validations, deadlines in validation", function () {
  it("test_lockRecord_and_gasCaps_views_report_the_lock_and_the_implementation_caps", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await setup.account.connect(setup.guardians[1]!).lock(setup.config, 1);
    const { lockedUntil } = await setup.account.accountState();
    const record = await setup.account.lockRecord(setup.guardians[1]!.address);
    expect([record.currentLocker, record.lastLockEnd, record.lockedInEpoch]).to.deep.equal([
      setup.guardians[1]!.address,
      lockedUntil,
      0n,
    ]);
    const caps = await setup.account.gasCaps();
    expect(caps.maxVerificationGasLimit).to.equal(BigInt(custos.caps.maxVerificationGasLimit));
    expect(caps.minCallGasLimit).to.equal(BigInt(custos.caps.minCallGasLimit));
    expect(caps.maxFeePerGas).to.equal(custos.caps.maxFeePerGas);
    // With no recovery pending, a cancel digest names no new owner.
    const deadline = await deadlineIn(custos);
    const none = await setup.account.cancelDigest(deadline);
    await startRecovery(custos, setup);
    expect(await setup.account.cancelDigest(deadline)).to.not.equal(none);
  });

  it("test_confirmConfigChange_revertsWhen_aRecoveryIsPending", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await startRecovery(custos, setup);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.be.revertedWithCustomError(
      setup.account,
      "RecoveryPending",
    );
  });

  it("test_cancelUserOperation_revertsWhen_deadlineIsZero (AA23 InvalidDeadline, nothing paid)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await startRecovery(custos, setup);
    const blob = await cancelBlob(setup, 0n, [0], true);
    const data = setup.account.interface.encodeFunctionData("cancelRecovery", [0n, setup.config, blob]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, setup.owner);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("InvalidDeadline", [0n]));
  });

  it("test_startUserOperation_afterARotationInTheSameBundle_failsStale: approvals of the old epoch start nothing", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const address = await setup.account.getAddress();
    const rotateTo = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const rotation = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("rotateOwner", [
        rotateTo,
        deadline,
        setup.config,
        await approvalBlob(setup, "Rotation", rotateTo, deadline, [0, 1]),
      ]),
      setup.owner,
    );
    const newOwner = randomWallet(ethers);
    const start = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("startRecovery", [
        newOwner.address,
        deadline,
        setup.config,
        await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]),
      ]),
      newOwner,
      { nonce: rotation.nonce + 1n },
    );
    const receipt = await (await handleOps(custos, [rotation, start])).wait();
    const outcomes = receipt!.logs
      .map((log) => custos.entryPoint.interface.parseLog(log))
      .filter((parsed) => parsed?.name === "UserOperationEvent")
      .map((parsed) => parsed!.args.success as boolean);
    expect(outcomes).to.deep.equal([true, false]);
    const state = await setup.account.accountState();
    expect(state.owner_).to.equal(rotateTo);
    expect(state.recovering).to.equal(false);
    // The stale mark does not block a later start at the new epoch.
    const fresh = randomWallet(ethers);
    const until = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", fresh.address, until, [1, 2]);
    const op = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("startRecovery", [fresh.address, until, setup.config, blob]),
      fresh,
    );
    await expect(handleOps(custos, [op])).to.emit(setup.account, "RecoveryStarted");
  });
});

describe("Mutation-found gaps: each test is the attack a weakened check would let through", function () {
  it("test_validateUserOp_revertsWhen_calledByAStranger: nobody but the EntryPoint makes the account pay a prefund", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const address = await setup.account.getAddress();
    const op = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("execute", [custos.bundler.address, 0n, "0x"]),
      setup.owner,
    );
    await expect(
      setup.account.connect(custos.bundler).validateUserOp(op, ethers.ZeroHash, 10n ** 18n),
    ).to.be.revertedWith("account: not from EntryPoint");
  });

  it("test_cancelUserOperation_revertsWhen_theOwnerSignsWithoutTheQuorum (validation checks the quorum)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, [], true);
    const data = setup.account.interface.encodeFunctionData("cancelRecovery", [deadline, setup.config, blob]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, setup.owner);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("NotEnoughApprovals", [1n, 2n]));
    expect((await setup.account.accountState()).recovering).to.equal(true);
  });

  it("test_approveCancel_belowTheQuorum_keepsTheRecoveryPending_andAnExpiredDeadlineReverts", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos, 100);
    await expect(setup.account.connect(setup.guardians[0]!).approveCancel(deadline, setup.config, 0)).to.not.emit(
      setup.account,
      "RecoveryCancelled",
    );
    expect((await setup.account.accountState()).recovering).to.equal(true);
    await networkHelpers.time.increase(200);
    await expect(setup.account.connect(setup.guardians[1]!).approveCancel(deadline, setup.config, 1))
      .to.be.revertedWithCustomError(setup.account, "ApprovalExpired")
      .withArgs(deadline);
  });

  it("test_ownerUserOperations_underALock: rotation and configuration requests are valid at once, anything else only after the lock", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await setup.account.connect(setup.guardians[1]!).lock(setup.config, 1);
    const { lockedUntil } = await setup.account.accountState();
    const address = await setup.account.getAddress();
    // A locker removal, requested by UserOperation while locked.
    const next = makeConfig([setup.config.guardians[0]!, setup.config.guardians[2]!], 2);
    const request = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("requestConfigChange", [setup.config, next]),
      setup.owner,
    );
    await expect(handleOps(custos, [request])).to.emit(setup.account, "ConfigChangeRequested");
    await networkHelpers.time.increase(setup.config.securityPeriod);
    const confirm = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("confirmConfigChange", [next]),
      setup.owner,
    );
    await expect(handleOps(custos, [confirm])).to.emit(setup.account, "ConfigApplied");
    // Rotation by UserOperation while locked (the remaining 2 guardians approve ⌈2/2⌉ = 1).
    const rotateWallet = randomWallet(ethers);
    const rotateTo = rotateWallet.address;
    const until = await deadlineIn(custos);
    const rotateBlob = encodeBlob([
      { index: 0, signature: await signApproval(setup.guardians[0]!, setup.account, "Rotation", rotateTo, until) },
    ]);
    const rotate = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("rotateOwner", [rotateTo, until, next, rotateBlob]),
      setup.owner,
    );
    await expect(handleOps(custos, [rotate])).to.emit(setup.account, "OwnerChanged");
    // Any other owner call (an upgrade) is valid only after the lock: a guardian locks again and the
    // new owner's upgrade UserOperation is not due.
    expect(lockedUntil > 0n).to.equal(true);
    const impl = await ethers.deployContract("CustosAccountV2", [custos.entryPoint.target, custos.bounds, custos.caps]);
    const index = next.guardians.indexOf(setup.guardians[2]!.address);
    await setup.account.connect(setup.guardians[2]!).lock(next, index);
    const upgrade = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("upgradeToAndCall", [impl.target as string, "0x"]),
      rotateWallet,
    );
    await expect(handleOps(custos, [upgrade]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA22 expired or not due");
  });

  it("test_lockBoundaries_atExactlyLockedUntil: the lock is over, a guardian may lock again only after its cool-down, the owner may act", async function () {
    const { setup } = await networkHelpers.loadFixture(twoOfThree);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const { lockedUntil } = await setup.account.accountState();
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil);
    // At exactly lockedUntil the lock has ended: unlock says so, another guardian may lock.
    await expect(setup.account.connect(setup.guardians[1]!).unlock(setup.config, 1)).to.be.revertedWithCustomError(
      setup.account,
      "NotLocked",
    );
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil + 1n);
    await expect(setup.account.connect(setup.guardians[1]!).lock(setup.config, 1)).to.emit(setup.account, "Locked");
  });

  it("test_lock_atExactlyLockedUntil_byAnotherGuardian_succeeds (the running lock has ended)", async function () {
    const { setup } = await networkHelpers.loadFixture(twoOfThree);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const { lockedUntil } = await setup.account.accountState();
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil);
    await expect(setup.account.connect(setup.guardians[1]!).lock(setup.config, 1)).to.emit(setup.account, "Locked");
  });

  it("test_configChange_atExactlyLockedUntil_isNoLongerLimitedToLockerRemoval", async function () {
    const { setup } = await networkHelpers.loadFixture(twoOfThree);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const { lockedUntil } = await setup.account.accountState();
    const other = makeConfig(setup.config.guardians, 1);
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil);
    await expect(setup.account.connect(setup.owner).requestConfigChange(setup.config, other)).to.emit(
      setup.account,
      "ConfigChangeRequested",
    );
    // The first change's window (securityPeriod 100 + window 200) is past by now: re-request, then confirm.
    await expect(setup.account.connect(setup.owner).confirmConfigChange(other)).to.be.revertedWithCustomError(
      setup.account,
      "ConfigChangeNotConfirmable",
    );
  });

  it("test_confirmConfigChange_atExactlyLockedUntil_confirmsAnOrdinaryChange", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 3, threshold: 2, delays: { lockPeriod: 150n } });
    const next = makeConfig(setup.config.guardians, 3, { lockPeriod: 150n });
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const { lockedUntil } = await setup.account.accountState();
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.emit(setup.account, "ConfigApplied");
  });

  it("test_checkStartRecovery_reportsTheNextPaidStartExactly: 0 before any, lastPaidStart + recoveryDelay after", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const probe = async () => {
      const newOwner = randomWallet(ethers).address;
      const until = await deadlineIn(custos);
      const blob = await approvalBlob(setup, "Recovery", newOwner, until, [0, 1]);
      return setup.account.checkStartRecovery(newOwner, until, setup.config, blob);
    };
    expect(await probe()).to.equal(0n);
    const newOwner = randomWallet(ethers);
    const until = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, until, [0, 1]);
    const data = setup.account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      until,
      setup.config,
      blob,
    ]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, newOwner);
    const latest = BigInt(await networkHelpers.time.latest());
    const startedAt = latest % 2n === 0n ? latest + 3n : latest + 2n; // an odd timestamp
    await networkHelpers.time.setNextBlockTimestamp(startedAt);
    await handleOps(custos, [op]);
    const deadline = await deadlineIn(custos);
    await setup.account
      .connect(custos.bundler)
      .cancelRecovery(deadline, setup.config, await cancelBlob(setup, deadline, [0, 1], false));
    expect(await probe()).to.equal(startedAt + setup.config.recoveryDelay);
  });
  it("test_executeRecovery_atExactlyLockedUntil_liftsNoLock: a lock that ends in the execution's second is over, no Unlocked", async function () {
    const { setup, custos } = await networkHelpers.loadFixture(twoOfThree);
    await startRecovery(custos, setup);
    const [, executeAfter] = await setup.account.pendingRecovery();
    const lockAt = executeAfter - setup.config.lockPeriod + 5n;
    const latest = BigInt(await networkHelpers.time.latest());
    await networkHelpers.time.setNextBlockTimestamp(lockAt > latest ? lockAt : latest + 1n);
    await setup.account.connect(setup.guardians[2]!).lock(setup.config, 2);
    const { lockedUntil } = await setup.account.accountState();
    expect(lockedUntil >= executeAfter).to.equal(true);
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil);
    await expect(setup.account.executeRecovery())
      .to.emit(setup.account, "RecoveryExecuted")
      .and.not.to.emit(setup.account, "Unlocked");
  });

  it("test_unknownSignatureKind_isRejected_evenWhenTheContractGuardianWouldApprove (kind 2 is not ERC-1271)", async function () {
    const custos = await deployCustosContracts(connection);
    const signer = randomWallet(ethers);
    const multisig = await ethers.deployContract("MultisigGuardian", [signer.address]);
    const setup = await createAccount(custos, { guardianAddresses: [await multisig.getAddress()], threshold: 1 });
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const digest = await setup.account.recoveryDigest(newOwner, deadline);
    const signature = signer.signingKey.sign(digest).serialized;
    for (const kind of [2, 255]) {
      await expect(
        setup.account.startRecovery(newOwner, deadline, setup.config, encodeBlob([{ index: 0, kind, signature }])),
      )
        .to.be.revertedWithCustomError(setup.account, "InvalidSignature")
        .withArgs(await multisig.getAddress());
    }
    // The same signature as kind 1 (ERC-1271) is the contract's approval.
    await expect(
      setup.account.startRecovery(newOwner, deadline, setup.config, encodeBlob([{ index: 0, kind: 1, signature }])),
    ).to.emit(setup.account, "RecoveryStarted");
  });
});
