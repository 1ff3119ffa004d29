import { expect } from "chai";
import { network } from "hardhat";
import { id } from "ethers";
import { signCustosMessage } from "./helpers/approvals.js";
import { hashConfig, makeConfig, sortAddresses } from "./helpers/config.js";
import { createAccount, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { startRecovery } from "./helpers/recovery.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

async function locked() {
  const ctx = await fixture();
  await ctx.setup.account.connect(ctx.setup.guardians[1]!).lock(ctx.setup.config, 1);
  return ctx;
}

describe("S4 lock: any guardian freezes the owner key for lockPeriod", function () {
  it("lock by a guardian sets lockedUntil to now + lockPeriod", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const tx = setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const until = BigInt(await networkHelpers.time.latest()) + 1n + setup.config.lockPeriod;
    await expect(tx).to.emit(setup.account, "Locked").withArgs(setup.guardians[0]!.address, until);
    expect((await setup.account.accountState()).lockedUntil).to.equal(until);
  });

  it("lock by a stranger reverts with NotGuardian", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await expect(setup.account.connect(custos.bundler).lock(setup.config, 0))
      .to.be.revertedWithCustomError(setup.account, "NotGuardian")
      .withArgs(custos.bundler.address);
  });

  it("lock by a guardian naming another guardian's index reverts", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    await expect(setup.account.connect(setup.guardians[0]!).lock(setup.config, 1)).to.be.revertedWithCustomError(
      setup.account,
      "NotGuardian",
    );
  });

  it("test_lock_revertsWhen_aRunningLockWouldBeExtended: neither the locker nor another guardian extends a lock", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const { lockedUntil } = await setup.account.accountState();
    for (const index of [1, 0]) {
      await expect(setup.account.connect(setup.guardians[index]!).lock(setup.config, index))
        .to.be.revertedWithCustomError(setup.account, "AlreadyLocked")
        .withArgs(lockedUntil);
    }
  });

  it("test_lock_revertsWhen_theSameGuardianRelocksBeforeItsCooldown: after expiry, again only after securityPeriod + securityWindow", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const rogue = setup.guardians[1]!;
    const { lockedUntil } = await setup.account.accountState();
    await networkHelpers.time.increaseTo(lockedUntil + 1n);
    const availableAt = lockedUntil + setup.config.securityPeriod + setup.config.securityWindow;
    await expect(setup.account.connect(rogue).lock(setup.config, 1))
      .to.be.revertedWithCustomError(setup.account, "LockCooldown")
      .withArgs(rogue.address, availableAt);
    // In the cool-down the owner acts freely.
    const to = randomWallet(ethers).address;
    await setup.account.connect(setup.owner).execute(to, 1n, "0x");
    await networkHelpers.time.increaseTo(availableAt);
    await expect(setup.account.connect(rogue).lock(setup.config, 1)).to.emit(setup.account, "Locked");
  });

  it("test_lock_revertsWhen_aLiftedLockIsRenewedAtOnce: a guardian whose lock was lifted waits the cool-down from the lift", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    await setup.account.connect(setup.guardians[0]!).unlock(setup.config, 0);
    const liftedAt = BigInt(await networkHelpers.time.latest());
    await expect(setup.account.connect(setup.guardians[1]!).lock(setup.config, 1))
      .to.be.revertedWithCustomError(setup.account, "LockCooldown")
      .withArgs(setup.guardians[1]!.address, liftedAt + setup.config.securityPeriod + setup.config.securityWindow);
    // Another guardian, who never locked, still can.
    await expect(setup.account.connect(setup.guardians[2]!).lock(setup.config, 2)).to.emit(setup.account, "Locked");
  });

  it("test_lock_rogueSoleGuardianIsRemovedWithinLockPeriodPlusSecurityWindow: the owner removes a 1-of-1 locker while locked", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 1, threshold: 1 });
    const rogue = setup.guardians[0]!;
    await setup.account.connect(rogue).lock(setup.config, 0);
    const start = BigInt(await networkHelpers.time.latest());
    const alone = makeConfig([], 0);
    await expect(setup.account.connect(setup.owner).requestConfigChange(setup.config, alone)).to.emit(
      setup.account,
      "ConfigChangeRequested",
    );
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(alone)).to.emit(setup.account, "ConfigApplied");
    // The rogue is no guardian any more: it can neither lock again nor extend.
    await expect(setup.account.connect(rogue).lock(setup.config, 0)).to.be.revertedWithCustomError(
      setup.account,
      "ConfigMismatch",
    );
    // The owner is free at the latest when the one lock it could place ends: lockPeriod after it locked.
    const { lockedUntil } = await setup.account.accountState();
    expect(lockedUntil - start <= setup.config.lockPeriod).to.equal(true);
    await networkHelpers.time.increaseTo(lockedUntil);
    const to = randomWallet(ethers).address;
    await setup.account.connect(setup.owner).execute(to, 3n, "0x");
    expect(await ethers.provider.getBalance(to)).to.equal(3n);
  });

  it("test_lock_guardiansTakingTurnsAreRemovedOneLockEach: two rogue guardians below the threshold cannot hold the owner", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 3, threshold: 3 });
    const [g0, g1] = [setup.guardians[0]!, setup.guardians[1]!];
    await setup.account.connect(g0).lock(setup.config, 0);
    const start = BigInt(await networkHelpers.time.latest());
    const without0 = makeConfig([setup.config.guardians[1]!, setup.config.guardians[2]!], 2);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, without0);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    // Confirmed under the first rogue's lock.
    await setup.account.connect(setup.owner).confirmConfigChange(without0);
    // The second rogue cannot extend the running lock; it takes its turn when the first lock ends.
    await expect(setup.account.connect(g1).lock(without0, 0)).to.be.revertedWithCustomError(
      setup.account,
      "AlreadyLocked",
    );
    await networkHelpers.time.increaseTo(start + setup.config.lockPeriod);
    await setup.account.connect(g1).lock(without0, 0);
    const alone = makeConfig([setup.config.guardians[2]!], 1);
    await setup.account.connect(setup.owner).requestConfigChange(without0, alone);
    await networkHelpers.time.increase(without0.securityPeriod);
    await setup.account.connect(setup.owner).confirmConfigChange(alone);
    // Bound: one lock per rogue guardian, each at most lockPeriod, the removals running meanwhile.
    const { lockedUntil } = await setup.account.accountState();
    expect(lockedUntil - start <= 2n * setup.config.lockPeriod + 1n).to.equal(true);
    await networkHelpers.time.increaseTo(lockedUntil);
    await setup.account.connect(setup.owner).execute(randomWallet(ethers).address, 1n, "0x");
  });

  it("test_requestConfigChange_revertsWhen_lockedAndTheChangeRemovesAnHonestGuardian", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    // Guardian 1 locked; removing guardian 0 (who did not) is refused.
    const next = makeConfig([setup.config.guardians[1]!, setup.config.guardians[2]!], 2);
    const { lockedUntil } = await setup.account.accountState();
    await expect(setup.account.connect(setup.owner).requestConfigChange(setup.config, next))
      .to.be.revertedWithCustomError(setup.account, "OnlyLockerRemovalWhileLocked")
      .withArgs(lockedUntil);
  });

  it("test_requestConfigChange_revertsWhen_lockedAndTheRemovalAlsoChangesDelaysOrThreshold", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const remaining = [setup.config.guardians[0]!, setup.config.guardians[2]!];
    for (const next of [
      makeConfig(remaining, 1),
      makeConfig(remaining, 2, { lockPeriod: setup.config.lockPeriod + 1n }),
      makeConfig(sortAddresses([...remaining, randomWallet(ethers).address]), 2),
    ]) {
      await expect(
        setup.account.connect(setup.owner).requestConfigChange(setup.config, next),
      ).to.be.revertedWithCustomError(setup.account, "OnlyLockerRemovalWhileLocked");
    }
  });

  it("test_confirmConfigChange_revertsWhen_lockedAndTheChangeWasNotALockerRemoval", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    // Requested before any lock: removes guardian 1, who then locks. Not marked as a locker removal.
    const next = makeConfig([setup.config.guardians[0]!, setup.config.guardians[2]!], 2);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await setup.account.connect(setup.guardians[1]!).lock(setup.config, 1);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.be.revertedWithCustomError(
      setup.account,
      "OnlyLockerRemovalWhileLocked",
    );
    // Re-requesting marks it; confirmed a security period later, under the lock.
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await expect(
      setup.account.connect(setup.owner).requestConfigChange(setup.config, next),
    ).to.be.revertedWithCustomError(setup.account, "ConfigChangeAlreadyPending");
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.emit(setup.account, "ConfigApplied");
  });

  it("test_requestConfigChange_revertsWhen_recoveringEvenToRemoveALocker", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(locked);
    await startRecovery(custos, setup, [0, 2]);
    const next = makeConfig([setup.config.guardians[0]!, setup.config.guardians[2]!], 2);
    await expect(
      setup.account.connect(setup.owner).requestConfigChange(setup.config, next),
    ).to.be.revertedWithCustomError(setup.account, "RecoveryPending");
  });

  it("execute called directly by the owner reverts while locked", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const { lockedUntil } = await setup.account.accountState();
    await expect(setup.account.connect(setup.owner).execute(randomWallet(ethers).address, 1n, "0x"))
      .to.be.revertedWithCustomError(setup.account, "AccountLocked")
      .withArgs(lockedUntil);
  });

  it("handleOps rejects an owner UserOperation while locked (AA22 not due)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(locked);
    const callData = setup.account.interface.encodeFunctionData("execute", [randomWallet(ethers).address, 1n, "0x"]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), callData, setup.owner);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA22 expired or not due");
  });

  it("isValidSignature returns invalid while locked", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const hash = id("order");
    const signature = await signCustosMessage(setup.owner, setup.account, hash);
    expect(await setup.account.isValidSignature(hash, signature)).to.equal("0xffffffff");
  });

  it("unlock by a guardian lifts the lock and the owner can transact again", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    await expect(setup.account.connect(setup.guardians[2]!).unlock(setup.config, 2))
      .to.emit(setup.account, "Unlocked")
      .withArgs(setup.guardians[2]!.address);
    const to = randomWallet(ethers).address;
    await setup.account.connect(setup.owner).execute(to, 5n, "0x");
    expect(await ethers.provider.getBalance(to)).to.equal(5n);
  });

  it("unlock reverts when the account is not locked", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    await expect(setup.account.connect(setup.guardians[0]!).unlock(setup.config, 0)).to.be.revertedWithCustomError(
      setup.account,
      "NotLocked",
    );
  });

  it("unlock by a stranger reverts with NotGuardian", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(locked);
    await expect(setup.account.connect(custos.bundler).unlock(setup.config, 0)).to.be.revertedWithCustomError(
      setup.account,
      "NotGuardian",
    );
  });

  it("the lock expires on its own after lockPeriod", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const { lockedUntil } = await setup.account.accountState();
    await networkHelpers.time.increaseTo(lockedUntil);
    const to = randomWallet(ethers).address;
    await setup.account.connect(setup.owner).execute(to, 7n, "0x");
    expect(await ethers.provider.getBalance(to)).to.equal(7n);
  });

  it("a UserOperation signed while locked becomes valid once the lock expired", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(locked);
    const to = randomWallet(ethers).address;
    const callData = setup.account.interface.encodeFunctionData("execute", [to, 9n, "0x"]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), callData, setup.owner);
    const { lockedUntil } = await setup.account.accountState();
    await networkHelpers.time.increaseTo(lockedUntil + 1n);
    await handleOps(custos, [op]);
    expect(await ethers.provider.getBalance(to)).to.equal(9n);
  });

  it("recovery proceeds while locked and its execution lifts the lock, emitting Unlocked", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { newOwner } = await startRecovery(custos, setup);
    await networkHelpers.time.increase(setup.config.recoveryDelay - 100n);
    await setup.account.connect(setup.guardians[2]!).lock(setup.config, 2);
    await networkHelpers.time.increase(100n);
    await expect(setup.account.executeRecovery())
      .to.emit(setup.account, "Unlocked")
      .withArgs(await setup.account.getAddress());
    const state = await setup.account.accountState();
    expect(state.owner_).to.equal(newOwner.address);
    expect(state.lockedUntil).to.equal(0n);
  });

  it("confirmConfigChange reverts while locked", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.be.revertedWithCustomError(
      setup.account,
      "OnlyLockerRemovalWhileLocked",
    );
  });

  it("requestConfigChange that adds power (a higher threshold, a new guardian) reverts while locked", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    for (const next of [makeConfig(setup.config.guardians, 3), makeConfig(setup.config.guardians.slice(0, 2), 2)]) {
      await expect(
        setup.account.connect(setup.owner).requestConfigChange(setup.config, next),
      ).to.be.revertedWithCustomError(setup.account, "OnlyLockerRemovalWhileLocked");
    }
  });

  it("cancelConfigChange reverts while locked", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const { lockedUntil } = await setup.account.accountState();
    await expect(setup.account.connect(setup.owner).cancelConfigChange(hashConfig(next)))
      .to.be.revertedWithCustomError(setup.account, "AccountLocked")
      .withArgs(lockedUntil);
  });

  it("cancelConfigChange reverts while a recovery is pending", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await startRecovery(custos, setup);
    await expect(setup.account.connect(setup.owner).cancelConfigChange(hashConfig(next))).to.be.revertedWithCustomError(
      setup.account,
      "RecoveryPending",
    );
  });
});
