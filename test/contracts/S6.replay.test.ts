import { expect } from "chai";
import { network } from "hardhat";
import { custosDomain, nonceAndEpoch, signApprovalRaw } from "./helpers/approvals.js";
import { encodeBlob } from "./helpers/blob.js";
import { makeConfig, sortAddresses } from "./helpers/config.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { approvalBlob, cancelBlob, startRecovery } from "./helpers/recovery.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

describe("S6 replay protection of guardian approvals", function () {
  it("startRecovery rejects approvals signed for another chain id", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const domain = custosDomain(custos.chainId + 1n, await setup.account.getAddress());
    const message = { newOwner: newOwner.address, deadline, ...(await nonceAndEpoch(setup.account)) };
    const entries = await Promise.all(
      [0, 1].map(async (index) => ({
        index,
        signature: await signApprovalRaw(setup.guardians[index]!, "Recovery", domain, message),
      })),
    );
    await expect(setup.account.startRecovery(newOwner.address, deadline, setup.config, encodeBlob(entries)))
      .to.be.revertedWithCustomError(setup.account, "InvalidSignature")
      .withArgs(setup.guardians[0]!.address);
  });

  it("startRecovery rejects approvals made for another account sharing the guardians", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const other = await createAccount(custos, { guardianAddresses: setup.config.guardians, threshold: 2 });
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    await expect(other.account.startRecovery(newOwner.address, deadline, other.config, blob))
      .to.be.revertedWithCustomError(other.account, "InvalidSignature")
      .withArgs(setup.guardians[0]!.address);
  });

  it("startRecovery rejects approvals made before a configuration change", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos, 36_000);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await setup.account.connect(setup.owner).confirmConfigChange(next);
    await expect(setup.account.startRecovery(newOwner.address, deadline, next, blob)).to.be.revertedWithCustomError(
      setup.account,
      "InvalidSignature",
    );
  });

  it("startRecovery rejects approvals reused after the recovery was cancelled", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    await setup.account.startRecovery(newOwner.address, deadline, setup.config, blob);
    await setup.account.cancelRecovery(deadline, setup.config, await cancelBlob(setup, deadline, [0, 1], false));
    await expect(
      setup.account.startRecovery(newOwner.address, deadline, setup.config, blob),
    ).to.be.revertedWithCustomError(setup.account, "InvalidSignature");
  });

  it("cancelRecovery rejects a cancel quorum reused for the next recovery", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    const cancel = await cancelBlob(setup, deadline, [0, 1], false);
    await setup.account.cancelRecovery(deadline, setup.config, cancel);
    await startRecovery(custos, setup);
    await expect(setup.account.cancelRecovery(deadline, setup.config, cancel)).to.be.revertedWithCustomError(
      setup.account,
      "InvalidSignature",
    );
  });

  it("startRecovery rejects approvals reused after the recovery was executed", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos, 36_000);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    await setup.account.startRecovery(newOwner.address, deadline, setup.config, blob);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    await setup.account.executeRecovery();
    // The executed approvals name the key that is now the owner: they can never start another recovery.
    await expect(
      setup.account.startRecovery(newOwner.address, deadline, setup.config, blob),
    ).to.be.revertedWithCustomError(setup.account, "InvalidNewOwner");
  });

  it("startRecovery rejects approvals signed at an older nonce after execution", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const target = randomWallet(ethers);
    const deadline = await deadlineIn(custos, 36_000);
    const stale = await approvalBlob(setup, "Recovery", target.address, deadline, [0, 1]);
    await startRecovery(custos, setup);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    await setup.account.executeRecovery();
    await expect(
      setup.account.startRecovery(target.address, deadline, setup.config, stale),
    ).to.be.revertedWithCustomError(setup.account, "InvalidSignature");
  });

  it("startRecovery rejects approvals after their deadline", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos, 10);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    await networkHelpers.time.increase(11);
    await expect(setup.account.startRecovery(newOwner.address, deadline, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "ApprovalExpired")
      .withArgs(deadline);
  });

  it("startRecovery rejects approvals bound to another deadline", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos, 10);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    await expect(
      setup.account.startRecovery(newOwner.address, deadline + 3600n, setup.config, blob),
    ).to.be.revertedWithCustomError(setup.account, "InvalidSignature");
  });

  it("startRecovery rejects a configuration that does not hash to the stored one", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const fake = makeConfig(sortAddresses([randomWallet(ethers).address, randomWallet(ethers).address]), 1);
    const deadline = await deadlineIn(custos);
    await expect(
      setup.account.startRecovery(randomWallet(ethers).address, deadline, fake, "0x01"),
    ).to.be.revertedWithCustomError(setup.account, "ConfigMismatch");
  });
});
