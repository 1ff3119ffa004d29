import { expect } from "chai";
import { network } from "hardhat";
import { formatEther, type Wallet } from "ethers";
import {
  createAccount,
  deadlineIn,
  deployCustosContracts,
  randomWallet,
  type AccountSetup,
} from "./helpers/fixture.js";
import { approvalBlob, cancelBlob } from "./helpers/recovery.js";
import { handleOps, signedUserOp, type PackedUserOperation, type UserOpOptions } from "./helpers/userOp.js";
import type { CustosDeployment } from "./helpers/fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function twoOfThree() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

async function oneOfOne() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 1, threshold: 1 });
  return { custos, setup };
}

/** Every gas field at its cap: what hostile guardians acting as their own bundler would send. */
function atTheCaps(custos: CustosDeployment): UserOpOptions {
  const caps = custos.caps;
  return {
    verificationGasLimit: BigInt(caps.maxVerificationGasLimit),
    callGasLimit: BigInt(caps.maxCallGasLimit),
    preVerificationGas: BigInt(caps.maxPreVerificationGas),
    maxPriorityFeePerGas: caps.maxPriorityFeePerGas,
    maxFeePerGas: caps.maxFeePerGas,
  };
}

/** The account's ETH: its balance plus its deposit at the EntryPoint (a prefund's excess is kept there). */
async function holdings(custos: CustosDeployment, setup: AccountSetup): Promise<bigint> {
  const address = await setup.account.getAddress();
  return (await ethers.provider.getBalance(address)) + (await custos.entryPoint.balanceOf(address));
}

async function startOp(
  custos: CustosDeployment,
  setup: AccountSetup,
  indexes: number[],
  options: UserOpOptions = {},
  newOwner: Wallet = randomWallet(ethers),
  deadline?: bigint,
): Promise<PackedUserOperation> {
  const until = deadline ?? (await deadlineIn(custos));
  const blob = await approvalBlob(setup, "Recovery", newOwner.address, until, indexes);
  const data = setup.account.interface.encodeFunctionData("startRecovery", [
    newOwner.address,
    until,
    setup.config,
    blob,
  ]);
  return signedUserOp(custos, await setup.account.getAddress(), data, newOwner, options);
}

/**
 * The most the account can pay for one guardian-driven operation at the current base fee:
 * (verificationGasLimit + callGasLimit + preVerificationGas) × min(maxFeePerGas, basefee + maxPriorityFeePerGas),
 * plus the EntryPoint's 10 % penalty on unused call gas.
 */
function costCapPerOp(custos: CustosDeployment, baseFee: bigint): bigint {
  const caps = custos.caps;
  const price =
    baseFee + caps.maxPriorityFeePerGas < caps.maxFeePerGas ? baseFee + caps.maxPriorityFeePerGas : caps.maxFeePerGas;
  const gas =
    BigInt(caps.maxVerificationGasLimit) +
    BigInt(caps.maxCallGasLimit) +
    BigInt(caps.maxPreVerificationGas) +
    BigInt(caps.maxCallGasLimit) / 10n;
  return gas * price;
}

describe("S13 bounded cost: guardian-driven UserOperations cannot drain the account through gas", function () {
  for (const [name, fixture, indexes] of [
    ["2-of-3", twoOfThree, [0, 1, 2]],
    ["1-of-1", oneOfOne, [0]],
  ] as const) {
    it(`test_S13_worstCase_${name}: all guardians holding the new-owner key, as their own bundler, take less than the cap before the owner can react`, async function () {
      const { custos, setup } = await networkHelpers.loadFixture(fixture);
      const hostile = setup.guardians[0]!;
      const before = await holdings(custos, setup);
      // A busy mainnet: 30 gwei base fee.
      const baseFee = 30_000_000_000n;
      const cap = costCapPerOp(custos, baseFee);

      // 1. One start at every cap, the fees paid to the guardians' own beneficiary.
      const op = await startOp(custos, setup, [...indexes], atTheCaps(custos));
      await connection.provider.request({
        method: "hardhat_setNextBlockBaseFeePerGas",
        params: [`0x${baseFee.toString(16)}`],
      });
      await handleOps(custos, [op], hostile, hostile.address, { maxFeePerGas: 2n * baseFee });
      const afterFirst = await holdings(custos, setup);
      expect(before - afterFirst <= cap, `paid ${before - afterFirst}, cap ${cap}`).to.equal(true);

      // 2. Until the owner reacts (the recovery delay), no second paid operation is valid: while the
      // recovery is pending another start is refused, and after a cancel by the guardians (they pay
      // it themselves) the next account-paid start is not due before the recovery delay.
      const again = await startOp(custos, setup, [...indexes], atTheCaps(custos));
      await expect(handleOps(custos, [again], hostile, hostile.address))
        .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
        .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("RecoveryPending"));
      if (indexes.length === 3) {
        const deadline = await deadlineIn(custos);
        const blob = await cancelBlob(setup, deadline, [0, 1], false);
        await setup.account.connect(hostile).cancelRecovery(deadline, setup.config, blob);
        const restart = await startOp(custos, setup, [...indexes], atTheCaps(custos));
        await expect(handleOps(custos, [restart], hostile, hostile.address))
          .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
          .withArgs(0, "AA22 expired or not due");
      }
      const total = before - (await holdings(custos, setup));
      expect(total <= cap).to.equal(true);
      console.log(
        `      worst case before the owner can react (${name}): ${formatEther(total)} ETH paid, cap ${formatEther(cap)} ETH ` +
          `(one operation at the caps, base fee 30 gwei; before these caps: 9.41 of 10 ETH)`,
      );
    });
  }

  it("test_S13_oneStartPerBundle: a second guardian-driven operation in the same bundle fails validation (OperationInFlight)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const first = await startOp(custos, setup, [0, 1]);
    const address = await setup.account.getAddress();
    const nextNonce = first.nonce + 1n;
    const second = await startOp(custos, setup, [1, 2], { nonce: nextNonce });
    await expect(handleOps(custos, [first, second]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(1, "AA23 reverted", setup.account.interface.encodeErrorResult("OperationInFlight"));
    // Nothing happened: the bundle reverted as a whole.
    expect((await setup.account.accountState()).recovering).to.equal(false);
    expect(await custos.entryPoint.getNonce(address, 0)).to.equal(first.nonce);
  });

  it("test_S13_executeAndCancelInOneBundle: only one of them validates", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const newOwner = randomWallet(ethers);
    await handleOps(custos, [await startOp(custos, setup, [0, 1], {}, newOwner)]);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    const address = await setup.account.getAddress();
    const execute = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("executeRecovery"),
      newOwner,
    );
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, [2], true);
    const cancel = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("cancelRecovery", [deadline, setup.config, blob]),
      setup.owner,
      { nonce: execute.nonce + 1n },
    );
    await expect(handleOps(custos, [execute, cancel]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(1, "AA23 reverted", setup.account.interface.encodeErrorResult("OperationInFlight"));
  });

  const overCaps: [string, (custos: CustosDeployment) => UserOpOptions][] = [
    ["verificationGasLimit", (c) => ({ verificationGasLimit: BigInt(c.caps.maxVerificationGasLimit) + 1n })],
    ["callGasLimit", (c) => ({ callGasLimit: BigInt(c.caps.maxCallGasLimit) + 1n })],
    ["callGasLimit below the minimum", (c) => ({ callGasLimit: BigInt(c.caps.minCallGasLimit) - 1n })],
    ["preVerificationGas", (c) => ({ preVerificationGas: BigInt(c.caps.maxPreVerificationGas) + 1n })],
    ["maxPriorityFeePerGas", (c) => ({ maxPriorityFeePerGas: c.caps.maxPriorityFeePerGas + 1n })],
    ["maxFeePerGas", (c) => ({ maxFeePerGas: c.caps.maxFeePerGas + 1n, maxPriorityFeePerGas: 1n })],
  ];
  for (const [field, options] of overCaps) {
    it(`test_S13_startRecovery_rejectedWhen_${field.replaceAll(" ", "_")}_outOfCaps (AA24)`, async function () {
      const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
      const op = await startOp(custos, setup, [0, 1], options(custos));
      await expect(handleOps(custos, [op]))
        .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
        .withArgs(0, "AA24 signature error");
    });
  }

  it("test_S13_executeAndCancel_rejectedWhen_overTheCaps (AA24)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const newOwner = randomWallet(ethers);
    await handleOps(custos, [await startOp(custos, setup, [0, 1], {}, newOwner)]);
    const address = await setup.account.getAddress();
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, [2], true);
    const tooMuch = { verificationGasLimit: BigInt(custos.caps.maxVerificationGasLimit) + 1n };
    const cancel = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("cancelRecovery", [deadline, setup.config, blob]),
      setup.owner,
      tooMuch,
    );
    await expect(handleOps(custos, [cancel]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    const execute = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("executeRecovery"),
      newOwner,
      { callGasLimit: BigInt(custos.caps.maxCallGasLimit) + 1n },
    );
    await expect(handleOps(custos, [execute]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
  });

  it("test_S13_startRecovery_rejectedWhen_deadlineIsZero: validation refuses it, so the account never pays for ApprovalExpired(0)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    const op = await startOp(custos, setup, [0, 1], {}, randomWallet(ethers), 0n);
    await expect(handleOps(custos, [op]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("InvalidDeadline", [0n]));
  });

  it("test_S13_executionNeverFailsAfterValidation: start, execute and cancel succeed at the minimum call gas with 16 guardians", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 16, threshold: 16 });
    const all = Array.from({ length: 16 }, (_, i) => i);
    const minimum = { callGasLimit: BigInt(custos.caps.minCallGasLimit) };
    const address = await setup.account.getAddress();
    const succeeded = async (op: PackedUserOperation) => {
      const receipt = await (await handleOps(custos, [op])).wait();
      const event = receipt!.logs
        .map((log) => custos.entryPoint.interface.parseLog(log))
        .find((parsed) => parsed?.name === "UserOperationEvent");
      return event!.args.success as boolean;
    };
    // Start, then cancel (owner plus 8 guardians: quorum ⌈17/2⌉ = 9).
    expect(await succeeded(await startOp(custos, setup, all, minimum))).to.equal(true);
    const deadline = await deadlineIn(custos);
    const blob = await cancelBlob(setup, deadline, all.slice(0, 8), true);
    const cancel = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("cancelRecovery", [deadline, setup.config, blob]),
      setup.owner,
      minimum,
    );
    expect(await succeeded(cancel)).to.equal(true);
    expect((await setup.account.accountState()).recovering).to.equal(false);
    // Start again (a plain call: the next account-paid start waits a recovery delay), then execute.
    const newOwner = randomWallet(ethers);
    const until = await deadlineIn(custos);
    await setup.account
      .connect(custos.bundler)
      .startRecovery(
        newOwner.address,
        until,
        setup.config,
        await approvalBlob(setup, "Recovery", newOwner.address, until, all),
      );
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    const execute = await signedUserOp(
      custos,
      address,
      setup.account.interface.encodeFunctionData("executeRecovery"),
      newOwner,
      minimum,
    );
    expect(await succeeded(execute)).to.equal(true);
    expect(await setup.account.owner()).to.equal(newOwner.address);
  });

  it("test_S13_paidStartsAreSpacedByTheRecoveryDelay: after a cancel, the next account-paid start is valid once the delay has passed", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(twoOfThree);
    await handleOps(custos, [await startOp(custos, setup, [0, 1])]);
    const startedAt = BigInt(await networkHelpers.time.latest());
    const deadline = await deadlineIn(custos);
    await setup.account
      .connect(custos.bundler)
      .cancelRecovery(deadline, setup.config, await cancelBlob(setup, deadline, [1], true));
    await expect(handleOps(custos, [await startOp(custos, setup, [0, 1])]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA22 expired or not due");
    await networkHelpers.time.increaseTo(startedAt + setup.config.recoveryDelay + 1n);
    await expect(handleOps(custos, [await startOp(custos, setup, [0, 1])])).to.emit(setup.account, "RecoveryStarted");
  });
});
