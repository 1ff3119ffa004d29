import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseEther, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { buildApprovalRequest } from "../../../custos/approvals/build.js";
import { signApproval } from "../../../custos/approvals/sign.js";
import { AccountStateError, ApprovalError } from "../../../custos/errors.js";
import { addGuardian, removeGuardian, setThreshold } from "../../../custos/actions/configHelpers.js";
import { cancelConfigChange, confirmConfigChange, requestConfigChange } from "../../../custos/actions/configChange.js";
import { lock, unlock } from "../../../custos/actions/lock.js";
import { sendEth } from "../../../custos/actions/execute.js";
import { startRecovery } from "../../../custos/actions/startRecovery.js";
import { executeRecovery } from "../../../custos/actions/executeRecovery.js";
import { cancelRecovery } from "../../../custos/actions/cancelRecovery.js";
import { rotateOwner } from "../../../custos/actions/rotateOwner.js";
import { approveRecovery } from "../../../custos/actions/approveRecovery.js";
import { submitRecoveryApprovals } from "../../../custos/actions/submitRecoveryApprovals.js";
import { readAccountState } from "../../../custos/state/readAccountState.js";
import { findAccountsByOwner, findGuardedAccounts } from "../../../custos/state/findAccounts.js";
import type { SenderClient } from "../../../custos/actions/types.js";
import { demoConfig, DEMO_DELAYS, startLocalChain, type LocalChain } from "../../helpers/localChain.js";

describe("actions and state reader against a local chain", () => {
  let chain: LocalChain;
  let owner: PrivateKeyAccount;
  let guardians: PrivateKeyAccount[];
  let account: Address;
  let relayer: SenderClient;

  before(async () => {
    chain = await startLocalChain(8661);
    owner = await chain.fundedKey();
    guardians = await Promise.all([chain.fundedKey(), chain.fundedKey(), chain.fundedKey()]);
    account = await chain.createAccount(
      owner.address,
      demoConfig(
        guardians.map((g) => g.address),
        2,
      ),
    );
    await chain.fund(account, "5");
    relayer = chain.wallet(await chain.fundedKey());
  });
  after(async () => chain?.stop());

  it("readAccountState rebuilds owner, config and activity from events", async () => {
    const state = await readAccountState(chain.client, account);
    assert.equal(state.owner, owner.address);
    assert.equal(state.config.threshold, 2n);
    assert.deepEqual([...state.config.guardians].sort(), guardians.map((g) => g.address).sort());
    assert.equal(state.recovering, false);
    assert.equal(state.locked, false);
    assert.deepEqual(state.activity.map((e) => e.eventName).sort(), ["ConfigApplied", "OwnerChanged"]);
    assert.ok(state.activity.every((e) => e.timestamp > 0n));
  });

  it("sendEth moves ETH from the account as a plain owner transaction", async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    await sendEth(chain.client, chain.wallet(owner), { account, to, value: parseEther("0.5") });
    assert.equal(await chain.client.getBalance({ address: to }), parseEther("0.5"));
  });

  it("a configuration change is pending with a countdown, refused early, then confirmed", async () => {
    const state = await readAccountState(chain.client, account);
    const extra = privateKeyToAccount(generatePrivateKey()).address;
    const next = addGuardian(state.config, extra);
    await requestConfigChange(chain.client, chain.wallet(owner), { account, next });
    const pending = await readAccountState(chain.client, account);
    assert.equal(pending.pendingChanges.length, 1);
    assert.equal(pending.pendingChanges[0]!.status, "waiting");
    assert.ok(pending.pendingChanges[0]!.secondsUntilReady > 0n);
    await assert.rejects(
      confirmConfigChange(chain.client, chain.wallet(owner), { account, next }),
      (e: unknown) => e instanceof AccountStateError && /not yet confirmable: .* left/.test(e.shortMessage),
    );
    await chain.increaseTime(DEMO_DELAYS.securityPeriod);
    await confirmConfigChange(chain.client, chain.wallet(owner), { account, next });
    const applied = await readAccountState(chain.client, account);
    assert.equal(applied.config.guardians.length, 4);
    assert.equal(applied.pendingChanges.length, 0);
    assert.equal(applied.epoch, 1n);

    const back = removeGuardian(applied.config, extra);
    await requestConfigChange(chain.client, chain.wallet(owner), { account, next: back });
    const withPending = await readAccountState(chain.client, account);
    await cancelConfigChange(chain.client, chain.wallet(owner), {
      account,
      nextConfigHash: withPending.pendingChanges[0]!.configHash,
    });
    assert.equal((await readAccountState(chain.client, account)).pendingChanges.length, 0);
  });

  it("a pending change turns confirmable inside its window and expired after it", async () => {
    const state = await readAccountState(chain.client, account);
    const next = setThreshold(state.config, state.config.threshold === 1n ? 2n : 1n);
    await requestConfigChange(chain.client, chain.wallet(owner), { account, next });
    await chain.increaseTime(DEMO_DELAYS.securityPeriod);
    const ready = (await readAccountState(chain.client, account)).pendingChanges[0]!;
    assert.equal(ready.status, "confirmable");
    assert.equal(ready.secondsUntilReady, 0n);
    await chain.increaseTime(DEMO_DELAYS.securityWindow + 1n);
    const expired = (await readAccountState(chain.client, account)).pendingChanges[0]!;
    assert.equal(expired.status, "expired");
    await assert.rejects(
      confirmConfigChange(chain.client, chain.wallet(owner), { account, next }),
      (e: unknown) => e instanceof AccountStateError && /confirmation window has passed/.test(e.shortMessage),
    );
    await cancelConfigChange(chain.client, chain.wallet(owner), { account, nextConfigHash: expired.configHash });
  });

  it("a guardian lock freezes the owner with a clear error; another guardian unlocks", async () => {
    await lock(chain.client, chain.wallet(guardians[0]!), { account });
    const state = await readAccountState(chain.client, account);
    assert.equal(state.locked, true);
    await assert.rejects(
      sendEth(chain.client, chain.wallet(owner), { account, to: guardians[0]!.address, value: 1n }),
      (e: unknown) => e instanceof AccountStateError && /locked by a guardian for another/.test(e.shortMessage),
    );
    // S4: while locked, the only change the owner may request is removing the guardian who locked it.
    const { config } = await readAccountState(chain.client, account);
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    await assert.rejects(
      requestConfigChange(chain.client, chain.wallet(owner), { account, next: addGuardian(config, stranger) }),
      (e: unknown) =>
        e instanceof AccountStateError &&
        e.code === "LOCKED" &&
        /only change allowed is removing the guardians who locked it/.test(e.shortMessage),
    );
    const withoutLocker = removeGuardian(config, guardians[0]!.address);
    await requestConfigChange(chain.client, chain.wallet(owner), { account, next: withoutLocker });
    await unlock(chain.client, chain.wallet(guardians[1]!), { account });
    assert.equal((await readAccountState(chain.client, account)).locked, false);
    const pending = (await readAccountState(chain.client, account)).pendingChanges;
    assert.equal(pending.length, 1);
    await cancelConfigChange(chain.client, chain.wallet(owner), { account, nextConfigHash: pending[0]!.configHash });
  });

  it("a stranger cannot lock: not a guardian", async () => {
    const stranger = await chain.fundedKey();
    await assert.rejects(
      lock(chain.client, chain.wallet(stranger), { account }),
      (e: unknown) =>
        e instanceof ApprovalError && e.shortMessage === `signer ${stranger.address} is not a guardian of this account`,
    );
  });

  it("finds guarded accounts and accounts by owner", async () => {
    const guarded = await findGuardedAccounts(chain.client, guardians[2]!.address, {
      factory: chain.deployment.factory,
    });
    assert.deepEqual(
      guarded.map((g) => g.account),
      [account],
    );
    const owned = await findAccountsByOwner(chain.client, owner.address, { factory: chain.deployment.factory });
    assert.deepEqual(owned, [account]);
  });

  it("records one approval on-chain, then starts, refuses early execution, and executes a recovery", async () => {
    const newOwner = privateKeyToAccount(generatePrivateKey());
    const request = await buildApprovalRequest(chain.client, { account, kind: "Recovery", newOwner: newOwner.address });
    await approveRecovery(chain.client, chain.wallet(guardians[0]!), {
      account,
      newOwner: newOwner.address,
      deadline: request.deadline,
    });
    const recorded = await readAccountState(chain.client, account);
    assert.equal(recorded.recordedApprovals.length, 1);
    assert.equal(recorded.recordedApprovals[0]!.guardian, guardians[0]!.address);

    const signed = await Promise.all(guardians.slice(1, 3).map((g) => signApproval(g, request)));
    await startRecovery(chain.client, relayer, { account, approvals: signed });
    const state = await readAccountState(chain.client, account);
    assert.equal(state.recovering, true);
    assert.equal(state.recovery!.newOwner, newOwner.address);
    assert.ok(state.recovery!.secondsLeft > 0n);

    await assert.rejects(
      executeRecovery(chain.client, relayer, { account }),
      (e: unknown) => e instanceof AccountStateError && /^recovery not yet executable: .+ left$/.test(e.shortMessage),
    );
    await assert.rejects(
      sendEth(chain.client, chain.wallet(owner), { account, to: owner.address, value: 1n }),
      (e: unknown) => e instanceof AccountStateError && /recovery is pending/.test(e.shortMessage),
    );
    await chain.increaseTime(DEMO_DELAYS.recoveryDelay);
    await executeRecovery(chain.client, relayer, { account });
    const after = await readAccountState(chain.client, account);
    assert.equal(after.owner, newOwner.address);
    assert.equal(after.recovering, false);
    assert.equal(after.recordedApprovals.length, 0);
    owner = newOwner;
    await chain.fund(owner.address, "1");
  });

  it("submits approvals one at a time until the recovery starts, then a quorum cancels it", async () => {
    const newOwner = privateKeyToAccount(generatePrivateKey()).address;
    const request = await buildApprovalRequest(chain.client, { account, kind: "Recovery", newOwner });
    const first = await signApproval(guardians[0]!, request);
    await submitRecoveryApprovals(chain.client, relayer, { account, approvals: [first] });
    assert.equal((await readAccountState(chain.client, account)).recovering, false);
    const second = await signApproval(guardians[2]!, request);
    await submitRecoveryApprovals(chain.client, relayer, { account, approvals: [second] });
    assert.equal((await readAccountState(chain.client, account)).recovering, true);

    const cancel = await buildApprovalRequest(chain.client, { account, kind: "CancelRecovery" });
    // Four guardians now (the removal was cancelled): ⌈(4+1)/2⌉ = 3 of owner + guardians.
    const bySigners = await Promise.all([owner, guardians[1]!, guardians[0]!].map((s) => signApproval(s, cancel)));
    await assert.rejects(
      cancelRecovery(chain.client, relayer, { account, approvals: bySigners.slice(0, 1) }),
      (e: unknown) => e instanceof ApprovalError && /not enough approvals: 1 valid, 3 needed/.test(e.shortMessage),
    );
    await cancelRecovery(chain.client, relayer, { account, approvals: bySigners });
    assert.equal((await readAccountState(chain.client, account)).recovering, false);
  });

  it("rotates the owner with ⌈n/2⌉ guardian approvals", async () => {
    const next = privateKeyToAccount(generatePrivateKey());
    const request = await buildApprovalRequest(chain.client, { account, kind: "Rotation", newOwner: next.address });
    // ⌈4/2⌉ = 2 guardians plus the owner's own transaction.
    const approvals = await Promise.all(guardians.slice(0, 2).map((g) => signApproval(g, request)));
    await rotateOwner(chain.client, chain.wallet(owner), { account, newOwner: next.address, approvals });
    const state = await readAccountState(chain.client, account);
    assert.equal(state.owner, next.address);
    assert.equal(state.activity[0]!.eventName, "OwnerChanged");
  });
});
