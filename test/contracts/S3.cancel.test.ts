import { expect } from "chai";
import { network } from "hardhat";
import { createAccount, deadlineIn, deployCustosContracts } from "./helpers/fixture.js";
import { cancelBlob, startRecovery } from "./helpers/recovery.js";

const connection = await network.create();
const { networkHelpers } = connection;

async function threeGuardians() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  await startRecovery(custos, setup);
  return { custos, setup };
}

async function oneGuardian() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 1, threshold: 1 });
  await startRecovery(custos, setup, [0]);
  return { custos, setup };
}

describe("S3 cancel: a quorum of ⌈(n+1)/2⌉ from owner and guardians cancels a recovery", function () {
  async function cancelWith(fixture: typeof threeGuardians, indexes: number[], withOwner: boolean) {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, indexes, withOwner);
    return { custos, setup, tx: setup.account.connect(custos.bundler).cancelRecovery(deadline, setup.config, blob) };
  }

  it("cancelRecovery reverts when only the owner signs (n = 3, quorum 2)", async function () {
    const { setup, tx } = await cancelWith(threeGuardians, [], true);
    await expect(tx).to.be.revertedWithCustomError(setup.account, "NotEnoughApprovals").withArgs(1, 2);
  });

  it("cancelRecovery reverts when a guardian minority signs", async function () {
    const { setup, tx } = await cancelWith(threeGuardians, [2], false);
    await expect(tx).to.be.revertedWithCustomError(setup.account, "NotEnoughApprovals").withArgs(1, 2);
  });

  it("cancelRecovery succeeds with the owner and one guardian", async function () {
    const { setup, tx } = await cancelWith(threeGuardians, [1], true);
    const { newOwner } = await setup.account.pendingRecovery();
    await expect(tx).to.emit(setup.account, "RecoveryCancelled").withArgs(0, newOwner);
    const state = await setup.account.accountState();
    expect(state.recovering).to.equal(false);
    expect(state.owner_).to.equal(setup.owner.address);
    expect(state.nonce).to.equal(1n);
  });

  it("cancelRecovery succeeds with guardians only", async function () {
    const { setup, tx } = await cancelWith(threeGuardians, [0, 2], false);
    await expect(tx).to.emit(setup.account, "RecoveryCancelled");
  });

  it("cancelRecovery succeeds with the owner alone when n = 1 (quorum 1)", async function () {
    const { setup, tx } = await cancelWith(oneGuardian, [], true);
    await expect(tx).to.emit(setup.account, "RecoveryCancelled");
  });

  it("cancelRecovery succeeds with the single guardian when n = 1", async function () {
    const { setup, tx } = await cancelWith(oneGuardian, [0], false);
    await expect(tx).to.emit(setup.account, "RecoveryCancelled");
  });

  it("cancelRecovery reverts when no recovery is pending", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
    const deadline = await deadlineIn(custos);
    await expect(setup.account.cancelRecovery(deadline, setup.config, "0x")).to.be.revertedWithCustomError(
      setup.account,
      "NoRecoveryPending",
    );
  });

  it("cancelRecovery reverts after its deadline", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(threeGuardians);
    const deadline = await deadlineIn(custos, 10);
    const blob = await cancelBlob(setup, deadline, [0, 1], false);
    await networkHelpers.time.increase(20);
    await expect(setup.account.connect(custos.bundler).cancelRecovery(deadline, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "ApprovalExpired")
      .withArgs(deadline);
  });
});
