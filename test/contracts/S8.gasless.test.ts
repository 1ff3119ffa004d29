import { expect } from "chai";
import { network } from "hardhat";
import { signApproval } from "./helpers/approvals.js";
import { encodeBlob, KIND_ERC1271 } from "./helpers/blob.js";
import { sortByAddress } from "./helpers/config.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { approvalBlob } from "./helpers/recovery.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2, fundKeys: false });
  return { custos, setup };
}

describe("S8 recovery without ETH: UserOperations paid by the account, or plain transactions from anyone", function () {
  it("a full recovery runs through handleOps with no ETH on guardians and new owner", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const address = await setup.account.getAddress();
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 2]);
    const balanceBefore = await ethers.provider.getBalance(address);

    const startData = setup.account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      deadline,
      setup.config,
      blob,
    ]);
    const startOp = await signedUserOp(custos, address, startData, newOwner);
    await expect(handleOps(custos, [startOp])).to.emit(setup.account, "RecoveryStarted");

    await networkHelpers.time.increase(setup.config.recoveryDelay);
    const executeData = setup.account.interface.encodeFunctionData("executeRecovery");
    const executeOp = await signedUserOp(custos, address, executeData, newOwner);
    await expect(handleOps(custos, [executeOp])).to.emit(setup.account, "RecoveryExecuted");

    expect(await setup.account.owner()).to.equal(newOwner.address);
    expect(await ethers.provider.getBalance(address)).to.be.lessThan(balanceBefore);
    for (const key of [newOwner, ...setup.guardians]) {
      expect(await ethers.provider.getBalance(key.address)).to.equal(0n);
    }
  });

  it("handleOps rejects a startRecovery UserOperation signed by someone other than newOwner (AA24)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    const data = setup.account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      deadline,
      setup.config,
      blob,
    ]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, randomWallet(ethers));
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
  });

  it("handleOps rejects a startRecovery UserOperation with too few guardian approvals (AA23)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0]);
    const data = setup.account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      deadline,
      setup.config,
      blob,
    ]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, newOwner);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("NotEnoughApprovals", [1n, 2n]));
  });

  it("handleOps rejects an executeRecovery UserOperation before the delay (AA22)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    await setup.account.connect(custos.bundler).startRecovery(newOwner.address, deadline, setup.config, blob);
    const data = setup.account.interface.encodeFunctionData("executeRecovery");
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, newOwner);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA22 expired or not due");
  });

  it("a recovery runs as plain transactions submitted by a stranger", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [1, 2]);
    const stranger = custos.bundler;
    await setup.account.connect(stranger).startRecovery(newOwner.address, deadline, setup.config, blob);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    await setup.account.connect(stranger).executeRecovery();
    expect(await setup.account.owner()).to.equal(newOwner.address);
  });

  describe("on-chain approvals one by one", function () {
    async function withMultisig() {
      const custos = await deployCustosContracts(connection);
      const multisigSigner = randomWallet(ethers);
      const eoa = randomWallet(ethers);
      await networkHelpers.setBalance(multisigSigner.address, 10n ** 20n);
      await networkHelpers.setBalance(eoa.address, 10n ** 20n);
      const multisig = await ethers.deployContract("MultisigGuardian", [multisigSigner.address]);
      const relayed = randomWallet(ethers);
      const members = sortByAddress([
        { address: await multisig.getAddress(), kind: "multisig" as const },
        { address: eoa.address, kind: "eoa" as const },
        { address: relayed.address, kind: "relayed" as const },
      ]);
      const setup = await createAccount(custos, {
        guardianAddresses: members.map((m) => m.address),
        threshold: 3,
      });
      const indexOf = (kind: string) => members.findIndex((m) => m.kind === kind);
      return { custos, setup, multisig, multisigSigner, eoa, relayed, indexOf };
    }

    it("approveRecovery from an EOA, a multisig call and a relayed signature start the recovery at threshold", async function () {
      const { custos, setup, multisig, multisigSigner, eoa, relayed, indexOf } =
        await networkHelpers.loadFixture(withMultisig);
      const newOwner = randomWallet(ethers);
      const deadline = await deadlineIn(custos);
      const digest = await setup.account.recoveryDigest(newOwner.address, deadline);

      await expect(setup.account.connect(eoa).approveRecovery(newOwner.address, deadline, setup.config, indexOf("eoa")))
        .to.emit(setup.account, "RecoveryApproved")
        .withArgs(digest, eoa.address, newOwner.address);
      await expect(setup.account.connect(eoa).approveRecovery(newOwner.address, deadline, setup.config, indexOf("eoa")))
        .to.be.revertedWithCustomError(setup.account, "AlreadyApproved")
        .withArgs(indexOf("eoa"));

      const call = setup.account.interface.encodeFunctionData("approveRecovery", [
        newOwner.address,
        deadline,
        setup.config,
        indexOf("multisig"),
      ]);
      await multisig.connect(multisigSigner).execute(await setup.account.getAddress(), call);
      expect(await setup.account.recoveryApprovals(digest)).to.equal(
        (1n << BigInt(indexOf("eoa"))) | (1n << BigInt(indexOf("multisig"))),
      );
      expect((await setup.account.accountState()).recovering).to.equal(false);

      const signature = await signApproval(relayed, setup.account, "Recovery", newOwner.address, deadline);
      const blob = encodeBlob([{ index: indexOf("relayed"), signature }]);
      await expect(
        setup.account.connect(custos.bundler).submitRecoveryApprovals(newOwner.address, deadline, setup.config, blob),
      )
        .to.emit(setup.account, "RecoveryStarted")
        .and.to.emit(setup.account, "RecoveryApproved")
        .withArgs(digest, relayed.address, newOwner.address);
      expect((await setup.account.pendingRecovery()).newOwner).to.equal(newOwner.address);
    });

    it("the multisig guardian executes for its signer only and surfaces a refused approval", async function () {
      const { custos, setup, multisig, multisigSigner, indexOf } = await networkHelpers.loadFixture(withMultisig);
      const newOwner = randomWallet(ethers);
      const deadline = await deadlineIn(custos);
      const call = setup.account.interface.encodeFunctionData("approveRecovery", [
        newOwner.address,
        deadline,
        setup.config,
        indexOf("multisig"),
      ]);
      const target = setup.account.target as string;
      await expect(multisig.connect(custos.bundler).execute(target, call))
        .to.be.revertedWithCustomError(multisig, "NotSigner")
        .withArgs(custos.bundler.address);
      await multisig.connect(multisigSigner).execute(target, call);
      const refused = setup.account.interface.encodeErrorResult("AlreadyApproved", [indexOf("multisig")]);
      await expect(multisig.connect(multisigSigner).execute(target, call))
        .to.be.revertedWithCustomError(multisig, "CallFailed")
        .withArgs(refused);
    });

    it("submitRecoveryApprovals accepts an ERC-1271 signature of the multisig guardian", async function () {
      const { custos, setup, multisigSigner, indexOf } = await networkHelpers.loadFixture(withMultisig);
      const newOwner = randomWallet(ethers);
      const deadline = await deadlineIn(custos);
      const digest = await setup.account.recoveryDigest(newOwner.address, deadline);
      const signature = multisigSigner.signingKey.sign(digest).serialized;
      const blob = encodeBlob([{ index: indexOf("multisig"), kind: KIND_ERC1271, signature }]);
      await setup.account
        .connect(custos.bundler)
        .submitRecoveryApprovals(newOwner.address, deadline, setup.config, blob);
      expect(await setup.account.recoveryApprovals(digest)).to.equal(1n << BigInt(indexOf("multisig")));
    });

    it("approveRecovery from a non-guardian reverts", async function () {
      const { custos, setup } = await networkHelpers.loadFixture(withMultisig);
      const deadline = await deadlineIn(custos);
      await expect(
        setup.account.connect(custos.bundler).approveRecovery(randomWallet(ethers).address, deadline, setup.config, 0),
      ).to.be.revertedWithCustomError(setup.account, "NotGuardian");
    });

    it("approveRecovery after the deadline reverts", async function () {
      const { custos, setup, eoa, indexOf } = await networkHelpers.loadFixture(withMultisig);
      const deadline = await deadlineIn(custos, 5);
      await networkHelpers.time.increase(10);
      await expect(
        setup.account
          .connect(eoa)
          .approveRecovery(randomWallet(ethers).address, deadline, setup.config, indexOf("eoa")),
      ).to.be.revertedWithCustomError(setup.account, "ApprovalExpired");
    });
  });
});
