import { expect } from "chai";
import { network } from "hardhat";
import type { Contract } from "ethers";
import { signApproval } from "./helpers/approvals.js";
import { encodeBlob, KIND_ERC1271, OWNER_INDEX } from "./helpers/blob.js";
import { makeConfig, sortAddresses, sortByAddress } from "./helpers/config.js";
import {
  createAccount,
  deadlineIn,
  deployCustosContracts,
  randomWallet,
  type AccountSetup,
  type CustosDeployment,
} from "./helpers/fixture.js";
import { createSafe, deploySafeStack, execFromSafe } from "./helpers/safe.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";
import type { Call } from "../../custos/actions/types.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

type GuardianKind = "Safe 2-of-3" | "Custos account" | "multisig";

/** A contract guardian that makes the account perform `call` as its owners would. */
interface ContractGuardian {
  kind: GuardianKind;
  address: string;
  act(call: Call): Promise<unknown>;
}

async function contractGuardian(custos: CustosDeployment, kind: GuardianKind): Promise<ContractGuardian> {
  if (kind === "Safe 2-of-3") {
    const owners = sortByAddress([randomWallet(ethers), randomWallet(ethers), randomWallet(ethers)]);
    const safe: Contract = await createSafe(custos, await deploySafeStack(custos), owners, 2);
    return {
      kind,
      address: await safe.getAddress(),
      act: async (call) => (await execFromSafe(custos, safe, [owners[0]!, owners[2]!], call)).wait(),
    };
  }
  if (kind === "Custos account") {
    // Another Custos account approves through its owner's UserOperation (`execute` of the call).
    const guardianAccount = await createAccount(custos, { guardians: 1, threshold: 1, salt: 7n });
    const address = await guardianAccount.account.getAddress();
    return {
      kind,
      address,
      act: async (call) => {
        const data = guardianAccount.account.interface.encodeFunctionData("execute", [call.to, call.value, call.data]);
        const op = await signedUserOp(custos, address, data, guardianAccount.owner);
        return (await handleOps(custos, [op])).wait();
      },
    };
  }
  const signer = randomWallet(ethers);
  await connection.networkHelpers.setBalance(signer.address, 10n ** 18n);
  const multisig = await ethers.deployContract("MultisigGuardian", [signer.address]);
  return {
    kind,
    address: await multisig.getAddress(),
    act: async (call) => (await multisig.connect(signer).getFunction("execute")(call.to, call.data)).wait(),
  };
}

/** An account guarded 2-of-3 by one contract guardian and two EOAs. */
async function mixedAccount(kind: GuardianKind) {
  const custos = await deployCustosContracts(connection);
  const guardian = await contractGuardian(custos, kind);
  const eoas = [randomWallet(ethers), randomWallet(ethers)];
  for (const eoa of eoas) await networkHelpers.setBalance(eoa.address, 10n ** 18n);
  const guardians = sortAddresses([guardian.address, ...eoas.map((e) => e.address)]);
  const setup = await createAccount(custos, { guardianAddresses: guardians, threshold: 2 });
  const eoaIndexes = eoas.map((e) => guardians.indexOf(e.address));
  const contractIndex = guardians.indexOf(guardian.address);
  return { custos, setup, guardian, eoas, eoaIndexes, contractIndex };
}

function call(setup: AccountSetup, name: "approveRecovery" | "approveCancel", args: unknown[]): Call {
  const iface = setup.account.interface as unknown as { encodeFunctionData(fn: string, values: unknown[]): string };
  return {
    to: setup.account.target as `0x${string}`,
    value: 0n,
    data: iface.encodeFunctionData(name, args) as `0x${string}`,
  };
}

describe("S14 contract guardians approve on-chain, so no UserOperation validation runs their code", function () {
  for (const kind of ["Safe 2-of-3", "Custos account", "multisig"] as const) {
    it(`test_S14_startRecoveryUserOp_${kind.replaceAll(" ", "_")}: its on-chain approval plus one EOA signature start the recovery`, async function () {
      const { custos, setup, guardian, eoas, eoaIndexes, contractIndex } = await mixedAccount(kind);
      const newOwner = randomWallet(ethers);
      const deadline = await deadlineIn(custos);
      await guardian.act(call(setup, "approveRecovery", [newOwner.address, deadline, setup.config, contractIndex]));
      const digest = await setup.account.recoveryDigest(newOwner.address, deadline);
      expect(await setup.account.recoveryApprovals(digest)).to.equal(1n << BigInt(contractIndex));
      const blob = encodeBlob([
        {
          index: eoaIndexes[0]!,
          signature: await signApproval(eoas[0]!, setup.account, "Recovery", newOwner.address, deadline),
        },
      ]);
      const data = setup.account.interface.encodeFunctionData("startRecovery", [
        newOwner.address,
        deadline,
        setup.config,
        blob,
      ]);
      const op = await signedUserOp(custos, await setup.account.getAddress(), data, newOwner);
      await expect(handleOps(custos, [op])).to.emit(setup.account, "RecoveryStarted");
      expect((await setup.account.pendingRecovery()).newOwner).to.equal(newOwner.address);
    });

    it(`test_S14_cancelRecoveryUserOp_${kind.replaceAll(" ", "_")}: the owner's UserOperation plus the guardian's on-chain cancel approval form the quorum`, async function () {
      const { custos, setup, guardian, eoas, eoaIndexes, contractIndex } = await mixedAccount(kind);
      // Two EOA guardians start a recovery (a plain call by anyone).
      const newOwner = randomWallet(ethers);
      const startDeadline = await deadlineIn(custos);
      const entries = await Promise.all(
        eoas.map(async (eoa, i) => ({
          index: eoaIndexes[i]!,
          signature: await signApproval(eoa, setup.account, "Recovery", newOwner.address, startDeadline),
        })),
      );
      entries.sort((a, b) => a.index - b.index);
      await setup.account
        .connect(custos.bundler)
        .startRecovery(newOwner.address, startDeadline, setup.config, encodeBlob(entries));
      // The contract guardian approves the cancel on-chain; the owner signs the rest.
      const deadline = await deadlineIn(custos);
      await guardian.act(call(setup, "approveCancel", [deadline, setup.config, contractIndex]));
      const cancelDigest = await setup.account.cancelDigest(deadline);
      expect(await setup.account.recoveryApprovals(cancelDigest)).to.equal(1n << BigInt(contractIndex));
      const ownerEntry = {
        index: OWNER_INDEX,
        signature: await signApproval(setup.owner, setup.account, "CancelRecovery", newOwner.address, deadline),
      };
      const data = setup.account.interface.encodeFunctionData("cancelRecovery", [
        deadline,
        setup.config,
        encodeBlob([ownerEntry]),
      ]);
      const op = await signedUserOp(custos, await setup.account.getAddress(), data, setup.owner);
      await expect(handleOps(custos, [op])).to.emit(setup.account, "RecoveryCancelled");
      expect((await setup.account.accountState()).recovering).to.equal(false);
    });
  }

  it("test_S14_startRecoveryUserOp_rejectsAnERC1271Entry: validation refuses to call the guardian (ContractGuardianMustApproveOnChain)", async function () {
    const { custos, setup, guardian, eoas, eoaIndexes, contractIndex } = await mixedAccount("multisig");
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const eoaSignature = await signApproval(eoas[0]!, setup.account, "Recovery", newOwner.address, deadline);
    const entries = [
      { index: eoaIndexes[0]!, signature: eoaSignature },
      { index: contractIndex, kind: KIND_ERC1271, signature: "0x01" },
    ].sort((a, b) => a.index - b.index);
    const data = setup.account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      deadline,
      setup.config,
      encodeBlob(entries),
    ]);
    const op = await signedUserOp(custos, await setup.account.getAddress(), data, newOwner);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(
        0,
        "AA23 reverted",
        setup.account.interface.encodeErrorResult("ContractGuardianMustApproveOnChain", [guardian.address]),
      );
  });

  it("test_S14_approveCancel_atQuorumCancelsOnItsOwn: guardians alone, on-chain", async function () {
    const { custos, setup, guardian, eoas, eoaIndexes, contractIndex } = await mixedAccount("Safe 2-of-3");
    const newOwner = randomWallet(ethers);
    const startDeadline = await deadlineIn(custos);
    await guardian.act(call(setup, "approveRecovery", [newOwner.address, startDeadline, setup.config, contractIndex]));
    await setup.account
      .connect(eoas[0]!)
      .approveRecovery(newOwner.address, startDeadline, setup.config, eoaIndexes[0]!);
    expect((await setup.account.accountState()).recovering).to.equal(true);
    const deadline = await deadlineIn(custos);
    await guardian.act(call(setup, "approveCancel", [deadline, setup.config, contractIndex]));
    await expect(setup.account.connect(eoas[1]!).approveCancel(deadline, setup.config, eoaIndexes[1]!))
      .to.emit(setup.account, "RecoveryCancelled")
      .and.to.emit(setup.account, "CancelApproved");
  });

  it("test_S14_approveCancel_revertsWhen_notRecovering_twice_zeroDeadline_orStranger", async function () {
    const { custos, setup, eoas, eoaIndexes } = await mixedAccount("multisig");
    const deadline = await deadlineIn(custos);
    const [eoa, index] = [eoas[0]!, eoaIndexes[0]!];
    await expect(setup.account.connect(eoa).approveCancel(deadline, setup.config, index)).to.be.revertedWithCustomError(
      setup.account,
      "NoRecoveryPending",
    );
    const newOwner = randomWallet(ethers);
    await setup.account.connect(eoa).approveRecovery(newOwner.address, deadline, setup.config, index);
    await setup.account.connect(eoas[1]!).approveRecovery(newOwner.address, deadline, setup.config, eoaIndexes[1]!);
    await expect(setup.account.connect(eoa).approveCancel(0n, setup.config, index))
      .to.be.revertedWithCustomError(setup.account, "InvalidDeadline")
      .withArgs(0n);
    await setup.account.connect(eoa).approveCancel(deadline, setup.config, index);
    await expect(setup.account.connect(eoa).approveCancel(deadline, setup.config, index))
      .to.be.revertedWithCustomError(setup.account, "AlreadyApproved")
      .withArgs(index);
    await expect(setup.account.connect(custos.bundler).approveCancel(deadline, setup.config, index))
      .to.be.revertedWithCustomError(setup.account, "NotGuardian")
      .withArgs(custos.bundler.address);
    const forged = makeConfig(sortAddresses([custos.bundler.address, randomWallet(ethers).address]), 1);
    await expect(
      setup.account.connect(custos.bundler).approveCancel(deadline, forged, 0),
    ).to.be.revertedWithCustomError(setup.account, "ConfigMismatch");
  });
});
