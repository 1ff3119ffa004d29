import { expect } from "chai";
import { network } from "hardhat";
import { signEntries } from "./helpers/approvals.js";
import { encodeBlob } from "./helpers/blob.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 4, threshold: 3 });
  const newOwner = randomWallet(ethers);
  const deadline = await deadlineIn(custos, 36_000);
  const entries = await signEntries(
    setup.guardians.map((signer, index) => ({ index, signer })),
    setup.account,
    "Recovery",
    newOwner.address,
    deadline,
  );
  return { ...setup, newOwner, deadline, entries };
}

describe("S7 strict signature parsing: the entry an error names", function () {
  for (const [order, entry] of [
    [[0, 2, 1], 2],
    [[2, 0, 1], 1],
    [[0, 1, 3, 2], 3],
  ] as const) {
    it(`signers in the order ${order.join(", ")} revert SignersNotSorted(${entry})`, async function () {
      const { account, newOwner, deadline, config, entries } = await networkHelpers.loadFixture(fixture);
      const blob = encodeBlob(order.map((i) => entries[i]!));
      await expect(account.startRecovery(newOwner.address, deadline, config, blob))
        .to.be.revertedWithCustomError(account, "SignersNotSorted")
        .withArgs(entry);
    });
  }

  it("a repeated index after a higher one reverts AlreadyApproved, not SignersNotSorted", async function () {
    const { account, newOwner, deadline, config, entries } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([entries[0]!, entries[2]!, entries[0]!]);
    await expect(account.startRecovery(newOwner.address, deadline, config, blob))
      .to.be.revertedWithCustomError(account, "AlreadyApproved")
      .withArgs(0);
  });

  it("three sorted entries of four guardians start the recovery", async function () {
    const { account, newOwner, deadline, config, entries } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([entries[0]!, entries[1]!, entries[3]!]);
    await expect(account.startRecovery(newOwner.address, deadline, config, blob)).to.emit(account, "RecoveryStarted");
  });
});
