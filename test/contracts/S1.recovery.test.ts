import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress } from "ethers";
import { signEntries } from "./helpers/approvals.js";
import { encodeBlob } from "./helpers/blob.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, ...setup };
}

describe("S1 recovery: threshold guardians replace the owner after the delay", function () {
  async function startedRecovery() {
    const ctx = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(ctx.custos);
    const entries = await signEntries(
      [0, 1].map((index) => ({ index, signer: ctx.guardians[index]! })),
      ctx.account,
      "Recovery",
      newOwner.address,
      deadline,
    );
    const tx = await ctx.account
      .connect(ctx.custos.bundler)
      .startRecovery(newOwner.address, deadline, ctx.config, encodeBlob(entries));
    return { ...ctx, newOwner, tx };
  }

  it("startRecovery reverts when fewer than threshold guardians signed", async function () {
    const { account, guardians, config, custos } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const entries = await signEntries(
      [{ index: 1, signer: guardians[1]! }],
      account,
      "Recovery",
      newOwner.address,
      deadline,
    );
    await expect(account.startRecovery(newOwner.address, deadline, config, encodeBlob(entries)))
      .to.be.revertedWithCustomError(account, "NotEnoughApprovals")
      .withArgs(1, 2);
  });

  it("startRecovery with threshold signatures freezes the owner and records the pending recovery", async function () {
    const { account, newOwner, tx, config } = await startedRecovery();
    const executeAfter = BigInt(await networkHelpers.time.latest()) + config.recoveryDelay;
    await expect(tx).to.emit(account, "RecoveryStarted").withArgs(0, newOwner.address, executeAfter, 3);
    const pending = await account.pendingRecovery();
    expect(pending.newOwner).to.equal(newOwner.address);
    expect(pending.executeAfter).to.equal(executeAfter);
    expect((await account.accountState()).recovering).to.equal(true);
  });

  it("executeRecovery reverts before the delay has elapsed", async function () {
    const { account } = await startedRecovery();
    const { executeAfter } = await account.pendingRecovery();
    await networkHelpers.time.setNextBlockTimestamp(executeAfter - 1n);
    await expect(account.executeRecovery())
      .to.be.revertedWithCustomError(account, "RecoveryNotExecutable")
      .withArgs(executeAfter);
  });

  it("executeRecovery succeeds exactly at the end of the delay", async function () {
    const { account, owner, newOwner } = await startedRecovery();
    const { executeAfter } = await account.pendingRecovery();
    await networkHelpers.time.setNextBlockTimestamp(executeAfter);
    await expect(account.executeRecovery())
      .to.emit(account, "RecoveryExecuted")
      .withArgs(0, owner.address, newOwner.address)
      .and.to.emit(account, "OwnerChanged")
      .withArgs(owner.address, newOwner.address, 1);
    expect(await account.owner()).to.equal(newOwner.address);
  });

  it("executeRecovery succeeds after the delay and clears the pending recovery", async function () {
    const { account, newOwner } = await startedRecovery();
    const { executeAfter } = await account.pendingRecovery();
    await networkHelpers.time.increaseTo(executeAfter + 1000n);
    await account.executeRecovery();
    const state = await account.accountState();
    expect(state.owner_).to.equal(newOwner.address);
    expect(state.recovering).to.equal(false);
    expect(state.nonce).to.equal(1n);
    expect(state.epoch).to.equal(1n);
    const pending = await account.pendingRecovery();
    expect(pending.newOwner).to.equal(ZeroAddress);
    expect(pending.executeAfter).to.equal(0n);
  });

  it("executeRecovery reverts when no recovery is pending", async function () {
    const { account } = await networkHelpers.loadFixture(fixture);
    await expect(account.executeRecovery()).to.be.revertedWithCustomError(account, "NoRecoveryPending");
  });

  it("startRecovery reverts while another recovery is pending", async function () {
    const { account, config, custos } = await startedRecovery();
    const other = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    await expect(account.startRecovery(other.address, deadline, config, "0x")).to.be.revertedWithCustomError(
      account,
      "RecoveryPending",
    );
  });

  describe("invalid new owners", function () {
    async function expectInvalidNewOwner(pick: (ctx: Awaited<ReturnType<typeof fixture>>) => string) {
      const ctx = await networkHelpers.loadFixture(fixture);
      const newOwner = pick(ctx);
      const deadline = await deadlineIn(ctx.custos);
      const entries = await signEntries(
        [0, 1].map((index) => ({ index, signer: ctx.guardians[index]! })),
        ctx.account,
        "Recovery",
        newOwner,
        deadline,
      );
      await expect(ctx.account.startRecovery(newOwner, deadline, ctx.config, encodeBlob(entries)))
        .to.be.revertedWithCustomError(ctx.account, "InvalidNewOwner")
        .withArgs(newOwner);
    }

    it("startRecovery reverts when the new owner is the zero address", async function () {
      await expectInvalidNewOwner(() => ZeroAddress);
    });

    it("startRecovery reverts when the new owner is the account itself", async function () {
      await expectInvalidNewOwner((ctx) => ctx.account.target as string);
    });

    it("startRecovery reverts when the new owner is a guardian", async function () {
      await expectInvalidNewOwner((ctx) => ctx.guardians[2]!.address);
    });

    it("startRecovery reverts when the new owner is the current owner", async function () {
      await expectInvalidNewOwner((ctx) => ctx.owner.address);
    });
  });
});
