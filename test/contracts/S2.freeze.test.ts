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

async function recovering() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  await startRecovery(custos, setup);
  return { custos, setup };
}

describe("S2 freeze during recovery: the owner key can do nothing while a recovery is pending", function () {
  it("handleOps rejects an owner-signed UserOperation (AA23 RecoveryPending)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(recovering);
    const thief = randomWallet(ethers);
    const callData = setup.account.interface.encodeFunctionData("execute", [thief.address, 10n ** 18n, "0x"]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), callData, setup.owner);
    const inner = setup.account.interface.encodeErrorResult("RecoveryPending");
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", inner);
  });

  it("execute called directly by the owner reverts with RecoveryPending", async function () {
    const { setup } = await networkHelpers.loadFixture(recovering);
    await expect(
      setup.account.connect(setup.owner).execute(randomWallet(ethers).address, 1n, "0x"),
    ).to.be.revertedWithCustomError(setup.account, "RecoveryPending");
  });

  it("requestConfigChange by the owner reverts with RecoveryPending", async function () {
    const { setup } = await networkHelpers.loadFixture(recovering);
    const next = makeConfig(setup.config.guardians, 3);
    await expect(
      setup.account.connect(setup.owner).requestConfigChange(setup.config, next),
    ).to.be.revertedWithCustomError(setup.account, "RecoveryPending");
  });

  it("upgradeToAndCall by the owner reverts with RecoveryPending", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(recovering);
    const v2 = await ethers.deployContract("CustosAccountV2", [custos.entryPoint.target, custos.bounds, custos.caps]);
    await expect(setup.account.connect(setup.owner).upgradeToAndCall(v2.target, "0x")).to.be.revertedWithCustomError(
      setup.account,
      "RecoveryPending",
    );
  });

  it("isValidSignature returns invalid for an owner signature while recovering", async function () {
    const { setup } = await networkHelpers.loadFixture(recovering);
    const hash = id("permit");
    const signature = await signCustosMessage(setup.owner, setup.account, hash);
    expect(await setup.account.isValidSignature(hash, signature)).to.equal("0xffffffff");
  });
});
