import { expect } from "chai";
import { network } from "hardhat";
import { MaxUint256, TypedDataEncoder, ZeroAddress } from "ethers";
import { custosDomain, nonceAndEpoch, signApproval } from "./helpers/approvals.js";
import { encodeBlob } from "./helpers/blob.js";
import { hashConfig, makeConfig, sortAddresses } from "./helpers/config.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { approvalBlob, startRecovery } from "./helpers/recovery.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";
import type { CustosAccount } from "../../types/ethers-contracts/index.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  const deployer = await ethers.deployContract("ProxyDeployer");
  return { custos, setup, deployer };
}

type ProxyDeployer = Awaited<ReturnType<typeof fixture>>["deployer"];

/** Deploys a Solady ERC-1967 proxy of the implementation outside the factory (with `args` appended if given). */
async function proxyOf(deployer: ProxyDeployer, implementation: string, args?: string): Promise<CustosAccount> {
  const address =
    args === undefined
      ? await deployer.deploy.staticCall(implementation)
      : await deployer.deployWithArgs.staticCall(implementation, args);
  await (
    await (args === undefined ? deployer.deploy(implementation) : deployer.deployWithArgs(implementation, args))
  ).wait();
  return ethers.getContractAt("CustosAccount", address);
}

describe("Digests, initialisation and validation edges", function () {
  it("recoveryDigest, rotationDigest and cancelDigest are the EIP-712 hashes guardians sign", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const domain = custosDomain(custos.chainId, setup.account.target as string);
    const fields = ["newOwner:address", "nonce:uint256", "epoch:uint256", "deadline:uint256"].map((f) => {
      const [name, type] = f.split(":") as [string, string];
      return { name, type };
    });
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const state = await nonceAndEpoch(setup.account);
    const hash = (type: string, owner: string) =>
      TypedDataEncoder.hash(domain, { [type]: fields }, { newOwner: owner, deadline, ...state });
    expect(await setup.account.recoveryDigest(newOwner, deadline)).to.equal(hash("Recovery", newOwner));
    expect(await setup.account.rotationDigest(newOwner, deadline)).to.equal(hash("Rotation", newOwner));
    await startRecovery(custos, setup);
    const { newOwner: pending } = await setup.account.pendingRecovery();
    expect(await setup.account.cancelDigest(deadline)).to.equal(hash("CancelRecovery", pending));
  });

  it("createAccount with the zero owner reverts with InvalidNewOwner", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await expect(custos.factory.createAccount(ZeroAddress, setup.config, 0n))
      .to.be.revertedWithCustomError(custos.implementation, "InvalidNewOwner")
      .withArgs(ZeroAddress);
  });

  it("an account cannot be initialised with itself as owner", async function () {
    const { custos, setup, deployer } = await networkHelpers.loadFixture(fixture);
    const account = await proxyOf(deployer, custos.implementation.target as string);
    await expect(account.initialize(account.target, setup.config))
      .to.be.revertedWithCustomError(account, "InvalidNewOwner")
      .withArgs(account.target);
  });

  it("an account behind a proxy without the hash argument stores its configuration hash", async function () {
    const { custos, setup, deployer } = await networkHelpers.loadFixture(fixture);
    const account = await proxyOf(deployer, custos.implementation.target as string);
    const owner = randomWallet(ethers);
    await account.initialize(owner.address, setup.config);
    expect(await account.configHash()).to.equal(hashConfig(setup.config));
    expect(await account.owner()).to.equal(owner.address);
    // The stored hash is the one checked: a guardian can lock with the real configuration only.
    const guardian = setup.guardians[0]!;
    await expect(account.connect(guardian).lock(setup.config, 0)).to.emit(account, "Locked");
    const other = makeConfig(sortAddresses([guardian.address, randomWallet(ethers).address]), 1);
    await expect(account.connect(guardian).lock(other, 0)).to.be.revertedWithCustomError(account, "ConfigMismatch");
  });

  it("an account behind a proxy carrying another configuration's hash refuses initialisation", async function () {
    const { custos, setup, deployer } = await networkHelpers.loadFixture(fixture);
    const other = makeConfig(sortAddresses([randomWallet(ethers).address]), 1);
    const account = await proxyOf(deployer, custos.implementation.target as string, hashConfig(other));
    await expect(account.initialize(randomWallet(ethers).address, setup.config))
      .to.be.revertedWithCustomError(account, "ConfigMismatch")
      .withArgs(hashConfig(other), hashConfig(setup.config));
  });

  it("approveRecovery and submitRecoveryApprovals revert while a recovery is pending", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await startRecovery(custos, setup);
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    await expect(
      setup.account.connect(setup.guardians[2]!).approveRecovery(newOwner, deadline, setup.config, 2),
    ).to.be.revertedWithCustomError(setup.account, "RecoveryPending");
    const signature = await signApproval(setup.guardians[2]!, setup.account, "Recovery", newOwner, deadline);
    await expect(
      setup.account.submitRecoveryApprovals(newOwner, deadline, setup.config, encodeBlob([{ index: 2, signature }])),
    ).to.be.revertedWithCustomError(setup.account, "RecoveryPending");
  });

  it("handleOps rejects an executeRecovery UserOperation when no recovery is pending (AA23)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const data = setup.account.interface.encodeFunctionData("executeRecovery");
    const op = await signedUserOp(custos, setup.account.target as string, data, randomWallet(ethers));
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("NoRecoveryPending"));
  });

  it("a startRecovery UserOperation with a deadline beyond 48 bits is valid with no expiry", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const newOwner = randomWallet(ethers);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, MaxUint256, [0, 1]);
    const data = setup.account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      MaxUint256,
      setup.config,
      blob,
    ]);
    const op = await signedUserOp(custos, setup.account.target as string, data, newOwner);
    await expect(handleOps(custos, [op])).to.emit(setup.account, "RecoveryStarted");
    expect((await setup.account.pendingRecovery()).newOwner).to.equal(newOwner.address);
  });
});
