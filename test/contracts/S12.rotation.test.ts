import { expect } from "chai";
import { network } from "hardhat";
import { id } from "ethers";
import { custosDomain, nonceAndEpoch, signApprovalRaw, signCustosMessage } from "./helpers/approvals.js";
import { encodeBlob } from "./helpers/blob.js";
import { hashConfig, makeConfig, sortByAddress } from "./helpers/config.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { approvalBlob, startRecovery } from "./helpers/recovery.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

describe("S12 signer rotation: owner plus ⌈n/2⌉ guardians replace the key at once", function () {
  async function rotation(indexes: number[]) {
    const ctx = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(ctx.custos);
    const blob = await approvalBlob(ctx.setup, "Rotation", newOwner.address, deadline, indexes);
    return { ...ctx, newOwner, deadline, blob };
  }

  it("rotateOwner by the owner with 2 of 3 guardians replaces the key", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([0, 2]);
    await expect(setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob))
      .to.emit(setup.account, "OwnerChanged")
      .withArgs(setup.owner.address, newOwner.address, 2);
    expect(await setup.account.owner()).to.equal(newOwner.address);
  });

  it("rotateOwner through a UserOperation signed by the owner replaces the key", async function () {
    const { custos, setup, newOwner, deadline, blob } = await rotation([0, 1]);
    const data = setup.account.interface.encodeFunctionData("rotateOwner", [
      newOwner.address,
      deadline,
      setup.config,
      blob,
    ]);
    await handleOps(custos, [await signedUserOp(custos, await setup.account.getAddress(), data, setup.owner)]);
    expect(await setup.account.owner()).to.equal(newOwner.address);
  });

  it("rotateOwner by the owner alone reverts when the account has guardians", async function () {
    const { setup, newOwner, deadline } = await rotation([]);
    await expect(
      setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, "0x"),
    ).to.be.revertedWithCustomError(setup.account, "EmptySignatures");
  });

  it("rotateOwner by a guardian (not the owner) reverts even with a quorum", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([0, 1]);
    await expect(setup.account.connect(setup.guardians[0]!).rotateOwner(newOwner.address, deadline, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "Unauthorized")
      .withArgs(setup.guardians[0]!.address);
  });

  it("rotateOwner with a guardian minority reverts", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([1]);
    await expect(setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "NotEnoughApprovals")
      .withArgs(1, 2);
  });

  it("rotateOwner by the owner alone succeeds when the account has no guardians", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 0 });
    const newOwner = randomWallet(ethers);
    await setup.account.connect(setup.owner).rotateOwner(newOwner.address, 0n, setup.config, "0x");
    expect(await setup.account.owner()).to.equal(newOwner.address);
  });

  it("rotateOwner without guardians rejects a non-empty signature blob", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 0 });
    await expect(
      setup.account.connect(setup.owner).rotateOwner(randomWallet(ethers).address, 0n, setup.config, "0x00"),
    ).to.be.revertedWithCustomError(setup.account, "MalformedSignatures");
  });

  it("rotateOwner rejects approvals signed for another chain id", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const domain = custosDomain(custos.chainId + 1n, await setup.account.getAddress());
    const message = { newOwner: newOwner.address, deadline, ...(await nonceAndEpoch(setup.account)) };
    const entries = await Promise.all(
      [0, 1].map(async (index) => ({
        index,
        signature: await signApprovalRaw(setup.guardians[index]!, "Rotation", domain, message),
      })),
    );
    await expect(
      setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, encodeBlob(entries)),
    )
      .to.be.revertedWithCustomError(setup.account, "InvalidSignature")
      .withArgs(setup.guardians[0]!.address);
    // The same approvals signed for this chain rotate the key: only the chain id made the difference.
    const local = custosDomain(custos.chainId, await setup.account.getAddress());
    const valid = await Promise.all(
      [0, 1].map(async (index) => ({
        index,
        signature: await signApprovalRaw(setup.guardians[index]!, "Rotation", local, message),
      })),
    );
    await setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, encodeBlob(valid));
    expect(await setup.account.owner()).to.equal(newOwner.address);
  });

  it("rotateOwner rejects approvals made for another account sharing the guardians", async function () {
    const { custos, setup, newOwner, deadline, blob } = await rotation([0, 1]);
    const other = await createAccount(custos, { guardianAddresses: setup.config.guardians, threshold: 2 });
    await expect(
      other.account.connect(other.owner).rotateOwner(newOwner.address, deadline, other.config, blob),
    ).to.be.revertedWithCustomError(other.account, "InvalidSignature");
  });

  it("rotateOwner rejects recovery approvals (other type) for the same new owner", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    await expect(
      setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob),
    ).to.be.revertedWithCustomError(setup.account, "InvalidSignature");
  });

  it("rotateOwner rejects approvals made before a configuration change", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([0, 1]);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await setup.account.connect(setup.owner).confirmConfigChange(next);
    await expect(
      setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline + 10_000n, next, blob),
    ).to.be.revertedWithCustomError(setup.account, "InvalidSignature");
  });

  it("rotateOwner rejects approvals replayed after a completed rotation", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([0, 1]);
    const back = await approvalBlob(setup, "Rotation", setup.owner.address, deadline, [0, 1]);
    await setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob);
    await networkHelpers.setBalance(newOwner.address, 10n ** 20n);
    await expect(
      setup.account.connect(newOwner).rotateOwner(setup.owner.address, deadline, setup.config, back),
    ).to.be.revertedWithCustomError(setup.account, "InvalidSignature");
  });

  it("rotateOwner rejects approvals after their deadline", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([0, 1]);
    await networkHelpers.time.increaseTo(deadline + 1n);
    await expect(setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "ApprovalExpired")
      .withArgs(deadline);
  });

  for (const [label, pick] of [
    ["a guardian", (s: { guardians: { address: string }[] }) => s.guardians[0]!.address],
    ["the current owner", (s: { owner: { address: string } }) => s.owner.address],
  ] as const) {
    it(`rotateOwner rejects ${label} as new owner`, async function () {
      const { custos, setup } = await networkHelpers.loadFixture(fixture);
      const target = (pick as (s: typeof setup) => string)(setup);
      const deadline = await deadlineIn(custos);
      const blob = await approvalBlob(setup, "Rotation", target, deadline, [0, 1]);
      await expect(setup.account.connect(setup.owner).rotateOwner(target, deadline, setup.config, blob))
        .to.be.revertedWithCustomError(setup.account, "InvalidNewOwner")
        .withArgs(target);
    });
  }

  it("rotateOwner reverts during a recovery", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    const newOwner = randomWallet(ethers).address;
    const blob = await approvalBlob(setup, "Rotation", newOwner, deadline, [0, 1]);
    await expect(
      setup.account.connect(setup.owner).rotateOwner(newOwner, deadline, setup.config, blob),
    ).to.be.revertedWithCustomError(setup.account, "RecoveryPending");
  });

  it("test_rotateOwner_worksWhileLocked_andLiftsTheLock: the exposed-seed owner does not race the thief for an unlock", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([0, 1]);
    await setup.account.connect(setup.guardians[2]!).lock(setup.config, 2);
    await expect(setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob))
      .to.emit(setup.account, "Unlocked")
      .withArgs(await setup.account.getAddress());
    const state = await setup.account.accountState();
    expect(state.owner_).to.equal(newOwner.address);
    expect(state.lockedUntil).to.equal(0n);
  });

  it("test_rotateOwner_revertsWhen_theConfigIsForged: a forged guardian set cannot approve a rotation", async function () {
    const { custos, setup } = await rotation([0, 1]);
    const forged = sortByAddress([randomWallet(ethers), randomWallet(ethers)]);
    const forgedConfig = makeConfig(
      forged.map((w) => w.address),
      1,
    );
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    await expect(
      setup.account.connect(setup.owner).rotateOwner(newOwner, deadline, forgedConfig, "0x"),
    ).to.be.revertedWithCustomError(setup.account, "ConfigMismatch");
  });

  it("test_rotateOwner_revertsWhen_theDeadlineIsZero", async function () {
    const { setup, newOwner } = await rotation([0, 1]);
    const blob = await approvalBlob(setup, "Rotation", newOwner.address, 0n, [0, 1]);
    await expect(setup.account.connect(setup.owner).rotateOwner(newOwner.address, 0n, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "InvalidDeadline")
      .withArgs(0n);
  });

  it("after rotation the old key's UserOperations and ERC-1271 signatures fail", async function () {
    const { custos, setup, newOwner, deadline, blob } = await rotation([0, 1]);
    await setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob);
    const address = await setup.account.getAddress();
    const data = setup.account.interface.encodeFunctionData("execute", [randomWallet(ethers).address, 1n, "0x"]);
    await expect(handleOps(custos, [await signedUserOp(custos, address, data, setup.owner)]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
    const hash = id("message");
    expect(
      await setup.account.isValidSignature(hash, await signCustosMessage(setup.owner, setup.account, hash)),
    ).to.equal("0xffffffff");
    expect(await setup.account.isValidSignature(hash, await signCustosMessage(newOwner, setup.account, hash))).to.equal(
      "0x1626ba7e",
    );
    await expect(setup.account.connect(setup.owner).execute(address, 0n, "0x")).to.be.revertedWithCustomError(
      setup.account,
      "Unauthorized",
    );
  });

  it("rotation voids pending configuration changes", async function () {
    const { setup, newOwner, deadline, blob } = await rotation([0, 1]);
    const next = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    await setup.account.connect(setup.owner).rotateOwner(newOwner.address, deadline, setup.config, blob);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await networkHelpers.setBalance(newOwner.address, 10n ** 20n);
    await expect(setup.account.connect(newOwner).confirmConfigChange(next))
      .to.be.revertedWithCustomError(setup.account, "NoPendingConfigChange")
      .withArgs(hashConfig(next));
  });
});
