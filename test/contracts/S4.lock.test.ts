import { expect } from "chai";
import { network } from "hardhat";
import { id } from "ethers";
import { signCustosMessage } from "./helpers/approvals.js";
import { makeConfig } from "./helpers/config.js";
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

  it("lock never shortens an existing lock", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const before = (await setup.account.accountState()).lockedUntil;
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    expect((await setup.account.accountState()).lockedUntil).to.be.greaterThan(before);
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

  it("recovery proceeds while locked and its execution lifts the lock", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(locked);
    const { newOwner } = await startRecovery(custos, setup);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    await setup.account.executeRecovery();
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
      "AccountLocked",
    );
  });

  it("requestConfigChange reverts while locked", async function () {
    const { setup } = await networkHelpers.loadFixture(locked);
    const next = makeConfig(setup.config.guardians, 3);
    await expect(
      setup.account.connect(setup.owner).requestConfigChange(setup.config, next),
    ).to.be.revertedWithCustomError(setup.account, "AccountLocked");
  });
});
