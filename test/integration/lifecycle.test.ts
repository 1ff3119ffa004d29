/**
 * The UserOperation lifecycle against the real alto bundler in manual bundling mode, so the test
 * decides when bundles go out: a timeout that keeps the hash, a stuck operation replaced with higher
 * fees, a reverted operation with its decoded Custos error, and an operation the bundler drops.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, encodeFunctionData, http, parseEther, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { entryPoint08Abi, entryPoint08Address, type UserOperation } from "viem/account-abstraction";
import { custosAccountAbi } from "../../custos/generated/abis.js";
import {
  createCustosBundlerClient,
  estimateUserOperationFees,
  type CustosBundlerClient,
} from "../../custos/smartAccount/bundler.js";
import { toCustosSmartAccount, type CustosSmartAccount } from "../../custos/smartAccount/toCustosSmartAccount.js";
import { UserOperationError } from "../../custos/userop/errors.js";
import {
  assertIncluded,
  runUserOperation,
  watchUserOperation,
  type UserOperationState,
} from "../../custos/userop/lifecycle.js";
import { demoConfig, startFixture, type Fixture } from "./helpers/fixture.js";

const fresh = () => privateKeyToAccount(generatePrivateKey());

describe("UserOperation lifecycle through the bundler", { timeout: 180_000 }, () => {
  let fx: Fixture;
  let account: CustosSmartAccount;
  let bundler: CustosBundlerClient;
  const owner = fresh();
  const guardian = fresh();
  const config = demoConfig([guardian], 1);
  const recipient = fresh().address;

  const bundleNow = () =>
    bundler.request({ method: "debug_bundler_sendBundleNow" as "eth_chainId" }).catch(() => undefined);

  /** Bundles every 200 ms while `work` runs (the bundler is in manual mode). */
  async function withAutoBundling<T>(work: Promise<T>): Promise<T> {
    const timer = setInterval(() => void bundleNow(), 200);
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  }

  /** Resolves once a state matching `predicate` was recorded. */
  async function until(states: UserOperationState[], predicate: (s: UserOperationState) => boolean) {
    for (let i = 0; i < 200; i++) {
      if (states.some(predicate)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`state never reached; got ${states.map((s) => s.status).join(", ")}`);
  }

  before(async () => {
    fx = await startFixture({
      chainPort: 8681,
      bundlerPort: 4401,
      bundlerArgs: ["--bundle-mode", "manual", "--enable-debug-endpoints", "true"],
    });
    account = await toCustosSmartAccount({
      client: fx.client,
      owner,
      factory: fx.stack.deployment.factory,
      config,
    });
    bundler = createCustosBundlerClient({ client: fx.client, account, bundlerUrl: fx.stack.bundlerUrl });
    await fx.fund(account.address, "1");
    assertIncluded(
      await withAutoBundling(
        runUserOperation({ bundlerClient: bundler, calls: [{ to: recipient, value: parseEther("0.01") }] }),
      ),
    );
  });

  after(async () => {
    await fx?.stack.stop();
  });

  it("keeps the hash when waiting times out, and the operation can be followed later", async () => {
    const states: UserOperationState[] = [];
    const error = await runUserOperation({
      bundlerClient: bundler,
      calls: [{ to: recipient, value: 1n }],
      timeoutMs: 800,
      stuckAfterMs: 60_000,
      onState: (state) => states.push(state),
    }).then(
      () => assert.fail("should time out: nothing was bundled"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UserOperationError);
    assert.equal(error.code, "USEROP_TIMEOUT");
    const submitted = states.find((s) => s.status === "submitted");
    assert.ok(submitted && submitted.status === "submitted");
    assert.equal(error.userOpHash, submitted.userOpHash);
    assert.match(error.message, new RegExp(submitted.userOpHash));

    const final = await withAutoBundling(watchUserOperation(bundler, error.userOpHash!, { timeoutMs: 20_000 }));
    assert.equal(final.status, "included");
    assert.equal(final.userOpHash, submitted.userOpHash);
  });

  it("replaces a stuck operation with higher fees and follows the replacement to inclusion", async () => {
    const states: UserOperationState[] = [];
    const running = runUserOperation({
      bundlerClient: bundler,
      calls: [{ to: recipient, value: 2n }],
      stuckAfterMs: 400,
      maxResubmits: 1,
      timeoutMs: 30_000,
      onState: (state) => states.push(state),
    });
    await until(states, (s) => s.status === "submitted" && s.attempt === 2);
    const final = await withAutoBundling(running);
    assert.equal(final.status, "included");

    const signed = states.filter(
      (s): s is Extract<UserOperationState, { status: "awaiting-signature" }> => s.status === "awaiting-signature",
    );
    assert.equal(signed.length, 2);
    const [first, second] = signed.map((s) => s.userOperation) as [UserOperation<"0.8">, UserOperation<"0.8">];
    assert.equal(second.nonce, first.nonce, "a replacement keeps the nonce");
    assert.ok(second.maxFeePerGas * 100n >= first.maxFeePerGas * 125n);
    assert.ok(second.maxPriorityFeePerGas * 100n >= first.maxPriorityFeePerGas * 125n);
    const last = states.filter((s) => s.status === "submitted").at(-1)!;
    assert.ok(last.status === "submitted" && last.hashes.length === 2);
    assert.equal(final.userOpHash, last.hashes[1]);
  });

  it("reports an included but reverted operation with the account's decoded error", async () => {
    // Gas limits of an operation of the same shape that succeeds; the reverting call cannot be estimated.
    const benign = await bundler.estimateUserOperationGas({
      calls: [{ to: recipient, data: "0x20c5a3e1" }],
    });
    const before_ = await fx.balance(account.address);
    const statuses: string[] = [];
    const final = await withAutoBundling(
      runUserOperation({
        bundlerClient: bundler,
        calls: [
          { to: account.address, data: encodeFunctionData({ abi: custosAccountAbi, functionName: "executeRecovery" }) },
        ],
        overrides: {
          callGasLimit: benign.callGasLimit + 50_000n,
          verificationGasLimit: benign.verificationGasLimit + 35_000n,
          preVerificationGas: benign.preVerificationGas,
        },
        onState: (state) => statuses.push(state.status),
      }),
    );
    assert.equal(final.status, "reverted");
    assert.equal(statuses.at(-1), "reverted");
    assert.equal(final.receipt.success, false);
    assert.equal(final.error.code, "NoRecoveryPending");
    assert.match(final.error.reason, /included but reverted: no recovery is pending/);
    assert.ok((await fx.balance(account.address)) < before_, "the account paid for the reverted call");
    assert.throws(() => assertIncluded(final), UserOperationError);
  });

  it("explains that a guardian lock holds the owner's operation back", async () => {
    await fx.fund(guardian.address, "0.01");
    const guardianWallet = createWalletClient({
      chain: fx.stack.chain,
      transport: http(fx.stack.rpcUrl),
      account: guardian,
    });
    await fx.client.waitForTransactionReceipt({
      hash: await guardianWallet.writeContract({
        address: account.address,
        abi: custosAccountAbi,
        functionName: "lock",
        args: [config, 0n],
      }),
    });
    // With the chain clock behind the wall clock alto accepts the operation and drops it when the
    // EntryPoint refuses it (AA22); with real clocks alto refuses it at once. Both end as AccountLocked.
    const outcome = await withAutoBundling(
      runUserOperation({ bundlerClient: bundler, calls: [{ to: recipient, value: 3n }], timeoutMs: 30_000 }),
    ).then(
      (final) => (final.status === "included" ? assert.fail("a locked account must not send") : final.error),
      (error: unknown) => error,
    );
    assert.ok(outcome instanceof UserOperationError);
    assert.equal(outcome.code, "AccountLocked");
    assert.match(outcome.reason, /locked by a guardian for \d+ s more/);
    await fx.client.waitForTransactionReceipt({
      hash: await guardianWallet.writeContract({
        address: account.address,
        abi: custosAccountAbi,
        functionName: "unlock",
        args: [config, 0n],
      }),
    });
  });

  it("reports an operation the bundler drops because the account can no longer pay", async () => {
    // The EntryPoint keeps each operation's unused prefund as the account's deposit, and the deposit
    // pays a prefund first: ask for more gas than the deposit covers, so that emptying the account's
    // balance leaves the operation unable to pay (otherwise it is included, and its call reverts).
    const deposit = await fx.client.readContract({
      address: entryPoint08Address,
      abi: entryPoint08Abi,
      functionName: "balanceOf",
      args: [account.address],
    });
    const { maxFeePerGas } = await estimateUserOperationFees(bundler, fx.client);
    const states: UserOperationState[] = [];
    const running = runUserOperation({
      bundlerClient: bundler,
      calls: [{ to: recipient, value: parseEther("0.1") }],
      overrides: { callGasLimit: (2n * deposit) / maxFeePerGas + 100_000n },
      stuckAfterMs: 60_000,
      timeoutMs: 30_000,
      onState: (state) => states.push(state),
    });
    await until(states, (s) => s.status === "submitted" && s.bundlerStatus === "not_submitted");

    // Meanwhile the owner empties the account with a plain transaction, so the queued operation can no
    // longer pay its prefund.
    await fx.fund(owner.address, "0.01");
    const ownerWallet = createWalletClient({ chain: fx.stack.chain, transport: http(fx.stack.rpcUrl), account: owner });
    const balance = await fx.balance(account.address);
    const hash: Hex = await ownerWallet.writeContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "execute",
      args: [fresh().address, balance, "0x"],
    });
    await fx.client.waitForTransactionReceipt({ hash });
    assert.equal(await fx.balance(account.address), 0n);

    await bundleNow();
    const final = await running;
    assert.equal(final.status, "dropped");
    assert.equal(final.error.code, "USEROP_DROPPED");
    assert.equal(states.at(-1)?.status, "dropped");
  });
});
