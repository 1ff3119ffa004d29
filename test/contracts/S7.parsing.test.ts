import { expect } from "chai";
import { network } from "hardhat";
import { concat, dataSlice, getBytes } from "ethers";
import { signApproval, signEntries } from "./helpers/approvals.js";
import { encodeBlob, KIND_ERC1271, OWNER_INDEX, toHighS, withV } from "./helpers/blob.js";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  const newOwner = randomWallet(ethers);
  const deadline = await deadlineIn(custos, 36_000);
  const [e0, e1, e2] = await signEntries(
    setup.guardians.map((signer, index) => ({ index, signer })),
    setup.account,
    "Recovery",
    newOwner.address,
    deadline,
  );
  return { custos, ...setup, newOwner, deadline, e0: e0!, e1: e1!, e2: e2! };
}

describe("S7 strict signature parsing", function () {
  async function expectStartRevert(blob: string, error: string, args?: unknown[]) {
    const { account, newOwner, deadline, config } = await networkHelpers.loadFixture(fixture);
    const assertion = expect(
      account.startRecovery(newOwner.address, deadline, config, blob),
    ).to.be.revertedWithCustomError(account, error);
    if (args) await assertion.withArgs(...args);
    else await assertion;
  }

  it("startRecovery accepts two sorted valid guardian signatures", async function () {
    const { account, newOwner, deadline, config, e0, e2 } = await networkHelpers.loadFixture(fixture);
    await expect(account.startRecovery(newOwner.address, deadline, config, encodeBlob([e0, e2]))).to.emit(
      account,
      "RecoveryStarted",
    );
  });

  it("startRecovery reverts when the same signer appears twice", async function () {
    const { e1 } = await networkHelpers.loadFixture(fixture);
    await expectStartRevert(encodeBlob([e1, e1]), "AlreadyApproved", [1]);
  });

  it("startRecovery reverts when signers are unsorted", async function () {
    const { e0, e1 } = await networkHelpers.loadFixture(fixture);
    await expectStartRevert(encodeBlob([e1, e0]), "SignersNotSorted", [1]);
  });

  it("startRecovery reverts when a signer index is not a guardian", async function () {
    const { e0, e1 } = await networkHelpers.loadFixture(fixture);
    await expectStartRevert(encodeBlob([e0, { ...e1, index: 3 }]), "UnknownSigner", [3]);
  });

  it("startRecovery reverts when a non-guardian key signs at a guardian index", async function () {
    const { account, newOwner, deadline, e0, guardians } = await networkHelpers.loadFixture(fixture);
    const stranger = randomWallet(ethers);
    const signature = await signApproval(stranger, account, "Recovery", newOwner.address, deadline);
    await expectStartRevert(encodeBlob([e0, { index: 1, signature }]), "InvalidSignature", [guardians[1]!.address]);
  });

  it("startRecovery reverts when the owner signs as index 255", async function () {
    const { account, newOwner, deadline, e0, owner } = await networkHelpers.loadFixture(fixture);
    const signature = await signApproval(owner, account, "Recovery", newOwner.address, deadline);
    await expectStartRevert(encodeBlob([e0, { index: OWNER_INDEX, signature }]), "UnknownSigner", [OWNER_INDEX]);
  });

  it("startRecovery reverts when the blob is empty", async function () {
    await expectStartRevert("0x", "EmptySignatures");
  });

  it("startRecovery reverts when the blob is truncated inside a header", async function () {
    const { e0, e1 } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, e1]);
    const truncated = dataSlice(blob, 0, 69 + 2);
    await expectStartRevert(truncated, "MalformedSignatures", [69]);
  });

  it("startRecovery reverts when the blob is truncated inside a signature body", async function () {
    const { e0, e1 } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, e1]);
    await expectStartRevert(dataSlice(blob, 0, getBytes(blob).length - 1), "MalformedSignatures", [69]);
  });

  it("startRecovery reverts when the blob has trailing padding", async function () {
    const { e0, e1 } = await networkHelpers.loadFixture(fixture);
    await expectStartRevert(concat([encodeBlob([e0, e1]), "0x00"]), "MalformedSignatures", [138]);
  });

  it("startRecovery reverts when the blob is padded with a whole zero header", async function () {
    const { e0, e1 } = await networkHelpers.loadFixture(fixture);
    await expectStartRevert(concat([encodeBlob([e0, e1]), "0x00000000"]), "AlreadyApproved", [0]);
  });

  it("startRecovery reverts when a signature has a high s value", async function () {
    const { e0, e1, guardians } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, { ...e1, signature: toHighS(e1.signature) }]);
    await expectStartRevert(blob, "InvalidSignature", [guardians[1]!.address]);
  });

  it("startRecovery reverts when an ECDSA signature is 64 bytes long", async function () {
    const { e0, e1, guardians } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, { ...e1, signature: dataSlice(e1.signature, 0, 64) }]);
    await expectStartRevert(blob, "InvalidSignature", [guardians[1]!.address]);
  });

  it("startRecovery reverts when an ECDSA signature is 66 bytes long", async function () {
    const { e0, e1, guardians } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, { ...e1, signature: concat([e1.signature, "0x00"]) }]);
    await expectStartRevert(blob, "InvalidSignature", [guardians[1]!.address]);
  });

  it("startRecovery reverts when v is neither 27 nor 28", async function () {
    const { e0, e1, guardians } = await networkHelpers.loadFixture(fixture);
    const v = getBytes(e1.signature)[64]! - 27;
    const blob = encodeBlob([e0, { ...e1, signature: withV(e1.signature, v) }]);
    await expectStartRevert(blob, "InvalidSignature", [guardians[1]!.address]);
  });

  it("startRecovery reverts when kind 1 (ERC-1271) names an EOA guardian", async function () {
    const { e0, e1, guardians } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, { ...e1, kind: KIND_ERC1271 }]);
    await expectStartRevert(blob, "InvalidSignature", [guardians[1]!.address]);
  });

  it("startRecovery reverts when the signature kind is unknown", async function () {
    const { e0, e1, guardians } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, { ...e1, kind: 2 }]);
    await expectStartRevert(blob, "InvalidSignature", [guardians[1]!.address]);
  });

  it("startRecovery reverts on one bad entry even when the valid ones reach the threshold", async function () {
    const { e0, e1, e2, guardians } = await networkHelpers.loadFixture(fixture);
    const blob = encodeBlob([e0, e1, { ...e2, signature: toHighS(e2.signature) }]);
    await expectStartRevert(blob, "InvalidSignature", [guardians[2]!.address]);
  });
});
