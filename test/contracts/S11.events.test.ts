import { expect } from "chai";
import { network } from "hardhat";
import type { Wallet } from "ethers";
import { signEntries, type ApprovalType } from "./helpers/approvals.js";
import { encodeBlob, OWNER_INDEX } from "./helpers/blob.js";
import { makeConfig, sortByAddress, type GuardianConfig } from "./helpers/config.js";
import {
  createAccount,
  deadlineIn,
  deployCustosContracts,
  randomWallet,
  type CustosDeployment,
} from "./helpers/fixture.js";
import { rebuildFromLogs, type RebuiltState } from "./helpers/stateFromLogs.js";
import type { CustosAccount } from "../../types/ethers-contracts/index.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const ETHER = 10n ** 18n;

/** Compares the state rebuilt from logs with every view of the account. */
async function expectLogsMatchViews(
  custos: CustosDeployment,
  account: CustosAccount,
  step: string,
): Promise<RebuiltState> {
  const rebuilt = await rebuildFromLogs(ethers.provider, custos.factory.target as string, account.target as string);
  const state = await account.accountState();
  expect(rebuilt.owner, `${step}: owner`).to.equal(await account.owner());
  expect(rebuilt.owner, `${step}: accountState.owner`).to.equal(state.owner_);
  expect(rebuilt.lockedUntil, `${step}: lockedUntil`).to.equal(state.lockedUntil);
  expect(rebuilt.recovering, `${step}: recovering`).to.equal(state.recovering);
  expect(rebuilt.epoch, `${step}: epoch`).to.equal(state.epoch);
  expect(rebuilt.nonce, `${step}: nonce`).to.equal(state.nonce);
  expect(rebuilt.configHash, `${step}: configHash`).to.equal(await account.configHash());
  expect(await account.hashConfig(rebuilt.config), `${step}: rebuilt config`).to.equal(rebuilt.configHash);
  const pending = await account.pendingRecovery();
  expect(rebuilt.pendingRecovery, `${step}: pendingRecovery`).to.deep.equal({
    newOwner: pending.newOwner,
    executeAfter: pending.executeAfter,
    guardianCount: pending.guardianCount,
  });
  for (const [hash, change] of rebuilt.pendingChanges) {
    const [readyAt, expiresAt] = await account.pendingConfigChange(hash);
    expect({ readyAt, expiresAt }, `${step}: pending change ${hash}`).to.deep.equal({
      readyAt: change.readyAt,
      expiresAt: change.expiresAt,
    });
  }
  for (const [digest, bitmap] of rebuilt.approvals) {
    expect(await account.recoveryApprovals(digest), `${step}: approvals ${digest}`).to.equal(bitmap);
  }
  return rebuilt;
}

/** A blob of `type` approvals signed by `signers` (index = position in the configuration, 255 = owner). */
async function blobOf(
  account: CustosAccount,
  type: ApprovalType,
  newOwner: string,
  deadline: bigint,
  signers: { index: number; signer: Wallet }[],
): Promise<string> {
  const sorted = [...signers].sort((x, y) => x.index - y.index);
  return encodeBlob(await signEntries(sorted, account, type, newOwner, deadline));
}

function indexed(guardians: Wallet[], config: GuardianConfig, picks: number[]) {
  return picks.map((index) => ({
    index,
    signer: guardians.find((g) => g.address === config.guardians[index])!,
  }));
}

describe("S11 events: the account's state can be rebuilt from logs alone", function () {
  it("a full lifecycle replays to owner, configuration, epoch, nonce, lock, recovery and pending changes", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
    // Another account of the same factory: its logs must not leak into the replay.
    await createAccount(custos, { guardians: 2, threshold: 1 });
    const { account } = setup;
    let owner = setup.owner;
    await expectLogsMatchViews(custos, account, "creation");

    // Configuration change: a fourth guardian, other delays (requested, then confirmed).
    const fourth = randomWallet(ethers);
    await networkHelpers.setBalance(fourth.address, 100n * ETHER);
    const guardians = sortByAddress([...setup.guardians, fourth]);
    const config = makeConfig(
      guardians.map((g) => g.address),
      2,
      { recoveryDelay: 2000n, securityPeriod: 150n, securityWindow: 300n, lockPeriod: 600n },
    );
    await account.connect(owner).requestConfigChange(setup.config, config);
    await expectLogsMatchViews(custos, account, "change requested");
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await account.connect(owner).confirmConfigChange(config);
    const afterConfirm = await expectLogsMatchViews(custos, account, "change confirmed");
    expect(afterConfirm.config).to.deep.equal(config);
    expect(afterConfirm.epoch).to.equal(1n);

    // Lock and unlock by guardians.
    await account.connect(guardians[3]!).lock(config, 3);
    const locked = await expectLogsMatchViews(custos, account, "locked");
    expect(locked.lockedUntil).to.be.greaterThan(0n);
    await account.connect(guardians[1]!).unlock(config, 1);
    await expectLogsMatchViews(custos, account, "unlocked");

    // Recovery from approvals recorded on-chain: one direct, one relayed signature.
    const lost = randomWallet(ethers);
    let deadline = await deadlineIn(custos);
    await account.connect(guardians[0]!).approveRecovery(lost.address, deadline, config, 0);
    await expectLogsMatchViews(custos, account, "one approval");
    const relayed = await blobOf(account, "Recovery", lost.address, deadline, indexed(guardians, config, [2]));
    await account.connect(custos.bundler).submitRecoveryApprovals(lost.address, deadline, config, relayed);
    const started = await expectLogsMatchViews(custos, account, "recovery started from approvals");
    expect(started.recovering).to.equal(true);
    expect(started.approvals.size).to.equal(1);

    // Cancel with ⌈(4+1)/2⌉ = 3 signatures: the owner and two guardians.
    deadline = await deadlineIn(custos);
    const cancel = await blobOf(account, "CancelRecovery", lost.address, deadline, [
      ...indexed(guardians, config, [1, 3]),
      { index: OWNER_INDEX, signer: owner },
    ]);
    await account.connect(custos.bundler).cancelRecovery(deadline, config, cancel);
    expect((await expectLogsMatchViews(custos, account, "recovery cancelled")).nonce).to.equal(1n);

    // A new recovery with aggregated signatures, executed after the delay.
    const recovered = randomWallet(ethers);
    deadline = await deadlineIn(custos);
    const start = await blobOf(account, "Recovery", recovered.address, deadline, indexed(guardians, config, [0, 3]));
    await account.connect(custos.bundler).startRecovery(recovered.address, deadline, config, start);
    await expectLogsMatchViews(custos, account, "recovery started again");
    await account.connect(guardians[2]!).lock(config, 2); // recovery proceeds while locked; execution lifts it
    await expectLogsMatchViews(custos, account, "locked during recovery");
    await networkHelpers.time.increase(config.recoveryDelay);
    await account.connect(custos.bundler).executeRecovery();
    owner = recovered;
    await networkHelpers.setBalance(owner.address, 100n * ETHER);
    const executed = await expectLogsMatchViews(custos, account, "recovery executed");
    expect(executed).to.deep.include({ owner: recovered.address, epoch: 2n, nonce: 2n, lockedUntil: 0n });

    // Rotation with ⌈4/2⌉ = 2 guardians.
    const rotated = randomWallet(ethers);
    await networkHelpers.setBalance(rotated.address, 100n * ETHER);
    deadline = await deadlineIn(custos);
    const rotation = await blobOf(account, "Rotation", rotated.address, deadline, indexed(guardians, config, [1, 2]));
    await account.connect(owner).rotateOwner(rotated.address, deadline, config, rotation);
    owner = rotated;
    const afterRotation = await expectLogsMatchViews(custos, account, "rotated");
    expect(afterRotation).to.deep.include({ owner: rotated.address, epoch: 3n, nonce: 3n });

    // End state with open items: one pending change, one cancelled change, an active lock.
    const kept = makeConfig(config.guardians, 3, { recoveryDelay: 2000n, securityPeriod: 150n, securityWindow: 300n });
    const dropped = makeConfig(config.guardians.slice(1), 1, { recoveryDelay: 2000n });
    await account.connect(owner).requestConfigChange(config, kept);
    await account.connect(owner).requestConfigChange(config, dropped);
    await account.connect(owner).cancelConfigChange(await account.hashConfig(dropped));
    await account.connect(guardians[0]!).lock(config, 0);
    const final = await expectLogsMatchViews(custos, account, "final");
    expect([...final.pendingChanges.keys()]).to.deep.equal([await account.hashConfig(kept)]);
    expect(final.lockedUntil).to.be.greaterThan(BigInt(await networkHelpers.time.latest()));
    expect([...(await account.pendingConfigChange(await account.hashConfig(dropped)))]).to.deep.equal([0n, 0n]);
  });

  it("a change requested before a recovery is void after it, in the logs and on-chain", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 2, threshold: 1 });
    const next = makeConfig(setup.config.guardians, 2);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await blobOf(setup.account, "Recovery", newOwner.address, deadline, [
      { index: 0, signer: setup.guardians[0]! },
    ]);
    await setup.account.startRecovery(newOwner.address, deadline, setup.config, blob);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    await setup.account.executeRecovery();
    const rebuilt = await expectLogsMatchViews(custos, setup.account, "after recovery");
    expect(rebuilt.pendingChanges.size).to.equal(0);
    expect([...(await setup.account.pendingConfigChange(await setup.account.hashConfig(next)))]).to.deep.equal([
      0n,
      0n,
    ]);
  });

  it("an account created with no guardians replays guardians added at once (epoch 1)", async function () {
    const custos = await deployCustosContracts(connection);
    const setup = await createAccount(custos, { guardians: 0 });
    const next = makeConfig([randomWallet(ethers).address], 1);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    const rebuilt = await expectLogsMatchViews(custos, setup.account, "guardians added");
    expect(rebuilt.config).to.deep.equal(next);
    expect(rebuilt.epoch).to.equal(1n);
  });
});
