import { expect } from "chai";
import { network } from "hardhat";
import { createAccount, deadlineIn, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { startRecovery } from "./helpers/recovery.js";
import { handleOps, signedUserOp, type UserOpOptions } from "./helpers/userOp.js";

// S4 with S13: under a lock, rotation and configuration-change operations stay valid at once (the functions
// decide what a lock allows), but a thief holding the owner key must not turn them into a way of paying
// itself the account's ETH as gas. Each test is the thief's (or the owner's) sequence of operations.

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const NOT_DUE = "AA22 expired or not due";

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

type Setup = Awaited<ReturnType<typeof fixture>>;

/** A rotation with no guardian approvals: validation passes (the owner signed it), execution fails. */
async function failingRotation({ custos, setup }: Setup, options: UserOpOptions = {}) {
  const callData = setup.account.interface.encodeFunctionData("rotateOwner", [
    randomWallet(ethers).address,
    await deadlineIn(custos),
    setup.config,
    "0x",
  ]);
  return signedUserOp(custos, await setup.account.getAddress(), callData, setup.owner, options);
}

/** Whether the single operation of a bundle was executed successfully (from UserOperationEvent). */
async function executed({ custos }: Setup, tx: Awaited<ReturnType<typeof handleOps>>): Promise<boolean> {
  const receipt = await tx.wait();
  for (const log of receipt!.logs) {
    const parsed = custos.entryPoint.interface.parseLog(log);
    if (parsed?.name === "UserOperationEvent") return parsed.args.success as boolean;
  }
  throw new Error("no UserOperationEvent");
}

describe("S4 with S13: operations exempt from a lock", function () {
  it("a thief holding the owner key gets at most MAX_LOCK_EXEMPT_OPS capped operations paid under one lock; the next waits for the lock's end", async function () {
    const s = await networkHelpers.loadFixture(fixture);
    const { custos, setup } = s;
    const max = await setup.account.MAX_LOCK_EXEMPT_OPS();
    expect(max).to.equal(4n);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    for (let i = 0n; i < max; i++) {
      // Paid for, and failed: the thief has no guardian approvals.
      expect(await executed(s, await handleOps(custos, [await failingRotation(s)]))).to.equal(false);
    }
    await expect(handleOps(custos, [await failingRotation(s)]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, NOT_DUE);
    // After the lock it is an ordinary owner operation again.
    const { lockedUntil } = await setup.account.accountState();
    await networkHelpers.time.increaseTo(lockedUntil + 1n);
    expect(await executed(s, await handleOps(custos, [await failingRotation(s)]))).to.equal(false);
  });

  it("above the S13 caps, an exempt operation under a lock waits for the lock's end", async function () {
    const s = await networkHelpers.loadFixture(fixture);
    const { custos, setup } = s;
    await setup.account.connect(setup.guardians[1]!).lock(setup.config, 1);
    const caps = await setup.account.gasCaps();
    const over: UserOpOptions[] = [
      { preVerificationGas: BigInt(caps.maxPreVerificationGas) + 1n },
      { verificationGasLimit: BigInt(caps.maxVerificationGasLimit) + 1n },
      { callGasLimit: BigInt(caps.maxCallGasLimit) + 1n },
      { maxPriorityFeePerGas: caps.maxPriorityFeePerGas + 1n, maxFeePerGas: caps.maxFeePerGas },
    ];
    for (const options of over) {
      await expect(handleOps(custos, [await failingRotation(s, options)]))
        .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
        .withArgs(0, NOT_DUE);
    }
    // Refused operations used none of the allowance.
    for (let i = 0n; i < (await setup.account.MAX_LOCK_EXEMPT_OPS()); i++) {
      expect(await executed(s, await handleOps(custos, [await failingRotation(s)]))).to.equal(false);
    }
  });

  it("a later lock by another guardian starts a new allowance", async function () {
    const s = await networkHelpers.loadFixture(fixture);
    const { custos, setup } = s;
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const max = await setup.account.MAX_LOCK_EXEMPT_OPS();
    for (let i = 0n; i < max; i++) await (await handleOps(custos, [await failingRotation(s)])).wait();
    const first = await setup.account.accountState();
    await networkHelpers.time.increaseTo(first.lockedUntil + 1n);
    await setup.account.connect(setup.guardians[2]!).lock(setup.config, 2);
    expect((await setup.account.accountState()).lockedUntil).to.be.greaterThan(first.lockedUntil);
    expect(await executed(s, await handleOps(custos, [await failingRotation(s)]))).to.equal(false);
  });

  it("while a recovery is pending, a thief's rotation or configuration-change operation is refused at validation (AA23 RecoveryPending): the account pays nothing", async function () {
    const s = await networkHelpers.loadFixture(fixture);
    const { custos, setup } = s;
    await startRecovery(custos, setup);
    const sender = await setup.account.getAddress();
    const before = await ethers.provider.getBalance(sender);
    const iface = setup.account.interface;
    const inner = iface.encodeErrorResult("RecoveryPending");
    for (const callData of [
      iface.encodeFunctionData("rotateOwner", [
        randomWallet(ethers).address,
        await deadlineIn(custos),
        setup.config,
        "0x",
      ]),
      iface.encodeFunctionData("requestConfigChange", [setup.config, { ...setup.config, threshold: 1n }]),
      iface.encodeFunctionData("confirmConfigChange", [setup.config]),
    ]) {
      const op = await signedUserOp(custos, sender, callData, setup.owner);
      await expect(handleOps(custos, [op]))
        .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
        .withArgs(0, "AA23 reverted", inner);
    }
    expect(await ethers.provider.getBalance(sender)).to.equal(before);
  });

  it("an account never locked is not limited: an exempt operation above the caps is valid at once", async function () {
    const s = await networkHelpers.loadFixture(fixture);
    const { custos, setup } = s;
    const caps = await setup.account.gasCaps();
    const op = await failingRotation(s, { preVerificationGas: BigInt(caps.maxPreVerificationGas) + 1n });
    expect(await executed(s, await handleOps(custos, [op]))).to.equal(false);
  });

  it("an unlocked account is not limited: after a guardian lifts the lock, exempt operations above the caps are valid", async function () {
    const s = await networkHelpers.loadFixture(fixture);
    const { custos, setup } = s;
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    await setup.account.connect(setup.guardians[1]!).unlock(setup.config, 1);
    const caps = await setup.account.gasCaps();
    for (let i = 0n; i <= (await setup.account.MAX_LOCK_EXEMPT_OPS()); i++) {
      const op = await failingRotation(s, { preVerificationGas: BigInt(caps.maxPreVerificationGas) + 1n });
      expect(await executed(s, await handleOps(custos, [op]))).to.equal(false);
    }
  });
});
