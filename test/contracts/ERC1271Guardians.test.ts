import { expect } from "chai";
import { network } from "hardhat";
import { DEMO_BOUNDS } from "../../custos/deploy/constants.js";
import { encodeBlob, KIND_ERC1271 } from "./helpers/blob.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { cancelBlob, startRecovery } from "./helpers/recovery.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

describe("ERC-1271 guardians and remaining entry points", function () {
  it("startRecovery rejects a non-compliant contract guardian's signature", async function () {
    const custos = await deployCustosContracts(connection);
    const bad = await ethers.deployContract("NonCompliantGuardian");
    const setup = await createAccount(custos, { guardianAddresses: [await bad.getAddress()], threshold: 1 });
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const blob = encodeBlob([{ index: 0, kind: KIND_ERC1271, signature: "0x1234" }]);
    await expect(setup.account.startRecovery(newOwner, deadline, setup.config, blob))
      .to.be.revertedWithCustomError(setup.account, "InvalidSignature")
      .withArgs(await bad.getAddress());
  });

  it("another Custos account acts as guardian through its owner's getMessageHash signature", async function () {
    const custos = await deployCustosContracts(connection);
    const guardianAccount = await createAccount(custos, { guardians: 0 });
    const setup = await createAccount(custos, {
      guardianAddresses: [await guardianAccount.account.getAddress()],
      threshold: 1,
    });
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const digest = await setup.account.recoveryDigest(newOwner, deadline);
    const wrapped = await guardianAccount.account.getMessageHash(digest);
    const signature = guardianAccount.owner.signingKey.sign(wrapped).serialized;
    const blob = encodeBlob([{ index: 0, kind: KIND_ERC1271, signature }]);
    await expect(setup.account.startRecovery(newOwner, deadline, setup.config, blob)).to.emit(
      setup.account,
      "RecoveryStarted",
    );
  });

  it("cancelRecovery through a UserOperation signed by the owner with a quorum in callData", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, [0], true);
    const data = setup.account.interface.encodeFunctionData("cancelRecovery", [deadline, setup.config, blob]);
    await expect(
      handleOps(custos, [await signedUserOp(custos, await setup.account.getAddress(), data, setup.owner)]),
    ).to.emit(setup.account, "RecoveryCancelled");
  });

  it("delayBounds returns the implementation's immutable bounds", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const bounds = await setup.account.delayBounds();
    expect(bounds.minRecoveryDelay).to.equal(BigInt(DEMO_BOUNDS.minRecoveryDelay));
    expect(bounds.maxLockPeriod).to.equal(BigInt(DEMO_BOUNDS.maxLockPeriod));
  });
});
