/**
 * S14: every kind of UserOperation the product sends is valid on public bundlers. Each goes through
 * alto with `--safe-mode true` on anvil, whose tracer lets alto check every validation against the
 * ERC-7562 rules (banned opcodes, storage access, out-of-gas, calls) as public bundlers do. An operation
 * that breaks a rule fails its test with the bundler's own message; the last test proves the checks are
 * live with an account that breaks them on purpose.
 *
 * The operations are built the way the CLI and the dApp build them: approval requests from
 * buildApprovalRequest, guardian signatures from signApproval, calls from the actions' prepare* steps,
 * sent by runUserOperation and the recovery senders.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createWalletClient,
  encodeFunctionData,
  getAddress,
  http,
  maxUint256,
  parseEther,
  type Address,
  type Hex,
  type LocalAccount,
} from "viem";
import { entryPoint08Abi, entryPoint08Address, toSmartAccount } from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  buildApprovalRequest,
  collectApprovals,
  createCustosBundlerClient,
  custosAccountAbi,
  erc20ApprovalAbi,
  listTokenApprovals,
  loadAccountContext,
  prepareConfirmConfigChange,
  prepareLock,
  prepareRequestConfigChange,
  prepareRotateOwner,
  prepareStartRecovery,
  readCurrentConfig,
  revokeAllCalls,
  runUserOperation,
  sendCancelRecoveryUserOp,
  sendExecuteRecoveryUserOp,
  sendStartRecoveryUserOp,
  setDelays,
  signApproval,
  toCustosSmartAccount,
  toRecoverySmartAccount,
  chainNow,
  type ApprovalKind,
  type CustosSmartAccount,
  type GuardianConfig,
} from "../../custos/index.js";
import { readArtifact } from "../../custos/deploy/artifacts.js";
import { bundlerRefusal, includedByBundler, OPCODE_VALIDATION } from "./helpers/bundlerRefusal.js";
import { demoConfig, startFixture, type Fixture } from "./helpers/fixture.js";

const fresh = () => privateKeyToAccount(generatePrivateKey());

describe("UserOperations valid under the ERC-7562 rules (alto safe mode on anvil)", { timeout: 300_000 }, () => {
  let fx: Fixture;
  let owner = fresh();
  const guardians = [fresh(), fresh(), fresh()];
  const recipient = fresh().address;
  let config: GuardianConfig;
  let account: CustosSmartAccount;
  let token: Address;
  let paidStartSeenAt = 0n;

  const fromBlock = () => BigInt(fx.stack.deployment.deploymentBlock);
  const ownerAccount = (key: LocalAccount) =>
    toCustosSmartAccount({
      client: fx.client,
      owner: key,
      factory: fx.stack.deployment.factory,
      address: account.address,
    });
  const ownerBundler = async (key: LocalAccount = owner) =>
    createCustosBundlerClient({ client: fx.client, account: await ownerAccount(key), bundlerUrl: fx.stack.bundlerUrl });
  const recoveryBundler = async (signer: LocalAccount) =>
    createCustosBundlerClient({
      client: fx.client,
      account: await toRecoverySmartAccount({ client: fx.client, account: account.address, signer }),
      bundlerUrl: fx.stack.bundlerUrl,
    });
  /** Owner-signed calls from the account, as the CLI's `--via userop` and the dApp send them. */
  const asOwner = async (calls: readonly { to: Address; value: bigint; data?: Hex }[]) =>
    includedByBundler(runUserOperation({ bundlerClient: await ownerBundler(), calls }));
  /** Approvals of `signers` for a request built from the account's live state. */
  const approvals = async (kind: ApprovalKind, signers: LocalAccount[], newOwner?: Address) => {
    const request = await buildApprovalRequest(fx.client, { account: account.address, kind, newOwner });
    return Promise.all(signers.map((signer) => signApproval(signer, request)));
  };
  const currentOwner = () =>
    fx.client.readContract({ address: account.address, abi: custosAccountAbi, functionName: "owner" });

  /** Rotates the owner key with guardians 0 and 2's approvals, as an owner UserOperation; the new key. */
  const rotateWithGuardians02 = async () => {
    const rotated = fresh();
    const call = await prepareRotateOwner(fx.client, {
      account: account.address,
      newOwner: rotated.address,
      approvals: await approvals("Rotation", [guardians[0]!, guardians[2]!], rotated.address),
      sender: owner.address,
      config,
    });
    await asOwner([call]);
    assert.equal(await currentOwner(), rotated.address);
    return rotated;
  };

  before(async () => {
    fx = await startFixture({ chainPort: 8800, bundlerPort: 4500 });
    assert.equal(fx.stack.chainKind, "anvil");
    assert.equal(fx.stack.safeMode, true);
    config = demoConfig(guardians, 2);
    account = await toCustosSmartAccount({
      client: fx.client,
      owner,
      factory: fx.stack.deployment.factory,
      config,
    });
    const erc20 = readArtifact("contracts/test/TestERC20.sol", "TestERC20");
    const deployer = createWalletClient({
      chain: fx.stack.chain,
      transport: http(fx.stack.rpcUrl),
      account: privateKeyToAccount(fx.stack.devAccounts[1]!.privateKey),
    });
    const receipt = await fx.client.waitForTransactionReceipt({
      hash: await deployer.deployContract({ abi: erc20.abi, bytecode: erc20.bytecode }),
    });
    token = getAddress(receipt.contractAddress!);
  });

  after(async () => {
    await fx?.stack.stop();
  });

  it("(ERC-7562) creates the account with its first UserOperation (factory and account validation)", async () => {
    await fx.fund(account.address, "1");
    await includedByBundler(
      runUserOperation({
        bundlerClient: await createCustosBundlerClient({ client: fx.client, account, bundlerUrl: fx.stack.bundlerUrl }),
        calls: [{ to: recipient, value: parseEther("0.01") }],
      }),
    );
    assert.equal(await account.isDeployed(), true);
    assert.equal(await fx.balance(recipient), parseEther("0.01"));
  });

  it("(ERC-7562) sends ETH", async () => {
    await asOwner([{ to: recipient, value: parseEther("0.02") }]);
    assert.equal(await fx.balance(recipient), parseEther("0.03"));
  });

  it("(ERC-7562) sends a batch: a transfer and two token approvals in one UserOperation", async () => {
    const approve = (spender: Address) =>
      encodeFunctionData({ abi: erc20ApprovalAbi, functionName: "approve", args: [spender, maxUint256] });
    await asOwner([
      { to: recipient, value: parseEther("0.01") },
      { to: token, value: 0n, data: approve(fresh().address) },
      { to: token, value: 0n, data: approve(fresh().address) },
    ]);
    assert.equal(await fx.balance(recipient), parseEther("0.04"));
    assert.equal((await listTokenApprovals(fx.client, account.address, { fromBlock: fromBlock() })).length, 2);
  });

  it("(ERC-7562) revokes every token approval in one UserOperation", async () => {
    const granted = await listTokenApprovals(fx.client, account.address, { fromBlock: fromBlock() });
    await asOwner(revokeAllCalls(granted));
    assert.deepEqual(await listTokenApprovals(fx.client, account.address, { fromBlock: fromBlock() }), []);
  });

  it("(ERC-7562) requests a configuration change, and confirms it after the security period", async () => {
    const next = setDelays(config, { lockPeriod: config.lockPeriod + 30n });
    await asOwner([
      await prepareRequestConfigChange(fx.client, { account: account.address, next, sender: owner.address, config }),
    ]);
    await fx.timeTravel(Number(config.securityPeriod) + 1);
    await asOwner([
      await prepareConfirmConfigChange(fx.client, { account: account.address, next, sender: owner.address, config }),
    ]);
    config = await readCurrentConfig(fx.client, account.address, { fromBlock: fromBlock() });
    assert.equal(config.lockPeriod, next.lockPeriod);
  });

  it("(ERC-7562) rotates the owner key with 2 of 3 guardian approvals", async () => {
    const rotated = await rotateWithGuardians02();
    owner = rotated;
  });

  it("(ERC-7562) under a guardian lock, rotates the owner key (the raw self-call, within the caps), which lifts the lock", async () => {
    const locker = guardians[1]!;
    await fx.fund(locker.address, "1");
    const guardianWallet = createWalletClient({
      chain: fx.stack.chain,
      transport: http(fx.stack.rpcUrl),
      account: locker,
    });
    const lock = await prepareLock(fx.client, { account: account.address, guardian: locker.address, config });
    await fx.client.waitForTransactionReceipt({
      hash: await guardianWallet.sendTransaction({ to: lock.to, data: lock.data, value: 0n }),
    });
    // The locker got ETH only to send its lock: take it back, so the recovery below still shows that
    // guardians need none (S8).
    await fx.client.request({ method: "anvil_setBalance" as never, params: [locker.address, "0x0"] as never });
    const locked = await loadAccountContext(fx.client, account.address, { config });
    assert.ok(locked.lockedUntil > locked.now, "the account is locked");
    const rotated = await rotateWithGuardians02();
    assert.equal((await loadAccountContext(fx.client, account.address, { config })).lockedUntil, 0n);
    owner = rotated;
  });

  it("(ERC-7562) starts a recovery with 2 of 3 EOA guardians, and cancels it with the owner and one guardian", async () => {
    const intruder = fresh();
    const prepared = await prepareStartRecovery(fx.client, {
      account: account.address,
      approvals: await approvals("Recovery", [guardians[0]!, guardians[1]!], intruder.address),
      config,
    });
    await includedByBundler(
      sendStartRecoveryUserOp(await recoveryBundler(intruder), {
        newOwner: prepared.newOwner,
        deadline: prepared.deadline,
        config,
        signatures: prepared.signatures,
      }),
    );
    paidStartSeenAt = await chainNow(fx.client); // at or after the block that paid for this start
    const live = await loadAccountContext(fx.client, account.address, { config });
    assert.equal(live.recovering, true);

    const cancel = await collectApprovals(
      fx.client,
      live,
      "CancelRecovery",
      await approvals("CancelRecovery", [owner, guardians[2]!]),
    );
    await includedByBundler(
      sendCancelRecoveryUserOp(await recoveryBundler(owner), {
        deadline: cancel.deadline,
        config,
        signatures: cancel.signatures,
      }),
    );
    assert.equal((await loadAccountContext(fx.client, account.address, { config })).recovering, false);
    assert.equal(await fx.balance(intruder.address), 0n);
  });

  it("(ERC-7562) executes a recovery after its delay, as a UserOperation of the new owner", async () => {
    // S13: the account pays for one recovery start per recovery delay; the cancelled one was paid. The
    // chain's clock can run ahead of anvil's wall-clock offset when blocks come fast (a travel is then
    // partly absorbed), so travel until the chain's time is past the spacing.
    const due = paidStartSeenAt + config.recoveryDelay + 1n;
    for (let now = await chainNow(fx.client); now < due; now = await chainNow(fx.client)) {
      await fx.timeTravel(Number(due - now));
    }
    const newOwner = fresh();
    const prepared = await prepareStartRecovery(fx.client, {
      account: account.address,
      approvals: await approvals("Recovery", [guardians[2]!, guardians[1]!], newOwner.address),
      config,
    });
    const bundler = await recoveryBundler(newOwner);
    await includedByBundler(
      sendStartRecoveryUserOp(bundler, {
        newOwner: prepared.newOwner,
        deadline: prepared.deadline,
        config,
        signatures: prepared.signatures,
      }),
    );
    const [, executeAfter] = await fx.client.readContract({
      address: account.address,
      abi: custosAccountAbi,
      functionName: "pendingRecovery",
    });
    await fx.timeTravel(Number(executeAfter - (await chainNow(fx.client))) + 1);
    await includedByBundler(sendExecuteRecoveryUserOp(bundler));
    assert.equal(await currentOwner(), newOwner.address);

    // The recovered owner's first operation.
    owner = newOwner;
    const target = fresh().address;
    await asOwner([{ to: target, value: parseEther("0.01") }]);
    assert.equal(await fx.balance(target), parseEther("0.01"));
    for (const who of [newOwner, ...guardians]) assert.equal(await fx.balance(who.address), 0n);
  });

  describe("the rule checks are live", () => {
    let breaker: Address;
    let bundler: ReturnType<typeof createCustosBundlerClient>;
    let mode = 0;

    before(async () => {
      const artifact = readArtifact("contracts/test/RuleBreakingAccount.sol", "RuleBreakingAccount");
      const deployer = createWalletClient({
        chain: fx.stack.chain,
        transport: http(fx.stack.rpcUrl),
        account: privateKeyToAccount(fx.stack.devAccounts[2]!.privateKey),
      });
      const receipt = await fx.client.waitForTransactionReceipt({
        hash: await deployer.deployContract({
          abi: artifact.abi,
          bytecode: artifact.bytecode,
          args: [entryPoint08Address, token],
        }),
      });
      breaker = getAddress(receipt.contractAddress!);
      await fx.fund(breaker, "1");
      const modeSignature = () => `0x${mode.toString(16).padStart(2, "0")}` as Hex;
      const smartAccount = await toSmartAccount({
        client: fx.client,
        entryPoint: { abi: entryPoint08Abi, address: entryPoint08Address, version: "0.8" },
        getAddress: async () => breaker,
        encodeCalls: async () => encodeFunctionData({ abi: artifact.abi, functionName: "noop" }),
        decodeCalls: async () => [],
        getFactoryArgs: async () => ({ factory: undefined, factoryData: undefined }),
        getStubSignature: async () => modeSignature(),
        signMessage: async () => "0x",
        signTypedData: async () => "0x",
        signUserOperation: async () => modeSignature(),
      });
      bundler = createCustosBundlerClient({
        client: fx.client,
        account: smartAccount,
        bundlerUrl: fx.stack.bundlerUrl,
      });
    });

    /** Sends the account's no-op with the given rule-breaking mode; resolves to the bundler's refusal. */
    const refusalOf = async (chosen: number) => {
      mode = chosen;
      const hash = await bundler.sendUserOperation({ calls: [{ to: breaker, value: 0n }] }).catch((e: unknown) => e);
      if (typeof hash === "string") {
        await bundler.waitForUserOperationReceipt({ hash: hash as Hex, timeout: 30_000 });
        return undefined;
      }
      return bundlerRefusal(hash) ?? assert.fail(`not a bundler refusal: ${String(hash)}`);
    };

    it("(ERC-7562) accepts the rule-abiding control operation of the same account", async () => {
      assert.equal(await refusalOf(0), undefined);
    });

    it("(ERC-7562) refuses validation that reads TIMESTAMP, with the bundler's -32502 message", async () => {
      assert.deepEqual(await refusalOf(1), {
        code: OPCODE_VALIDATION,
        message: "account uses banned opcode: TIMESTAMP",
      });
    });

    it("(ERC-7562) refuses validation that reads another contract's storage, with the bundler's -32502 message", async () => {
      const refusal = await refusalOf(2);
      assert.equal(refusal?.code, OPCODE_VALIDATION);
      assert.match(refusal.message, new RegExp(`^unstaked account accessed ${token} slot 0x`, "i"));
    });

    it("(ERC-7562) refuses validation that lets an inner call run out of gas, with the bundler's -32502 message", async () => {
      assert.deepEqual(await refusalOf(3), {
        code: OPCODE_VALIDATION,
        message: "account internally reverts on oog",
      });
    });
  });
});
