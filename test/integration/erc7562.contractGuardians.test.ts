/**
 * S14 with contract guardians: a Safe 1.4.1, another Custos account and a multisig each guard an
 * account beside two EOAs (2 of 3). The contract guardian approves by an on-chain call the account
 * records; the recovery start and the cancel then go through alto with `--safe-mode true` on anvil, so
 * their validation is checked against the ERC-7562 rules as public bundlers check it. The Custos
 * guardian's own approval is a UserOperation of its owner, through the same bundler. An operation that
 * breaks a rule fails its test with the bundler's own message.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, encodeErrorResult, getAddress, http, type Address, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  buildApprovalRequest,
  collectApprovals,
  createCustosBundlerClient,
  custosAccountAbi,
  loadAccountContext,
  onChainApprovals,
  prepareApproveCancel,
  prepareApproveRecovery,
  prepareStartRecovery,
  runUserOperation,
  sendCancelRecoveryUserOp,
  sendStartRecoveryUserOp,
  signApproval,
  toCustosSmartAccount,
  toRecoverySmartAccount,
  type ApprovalRequest,
  type Call,
  type GuardianConfig,
  type SenderClient,
} from "../../custos/index.js";
import { normalizeConfig } from "../../custos/config.js";
import { readArtifact } from "../../custos/deploy/artifacts.js";
import { bundlerRefusal, includedByBundler } from "./helpers/bundlerRefusal.js";
import { demoConfig, startFixture, type Fixture } from "./helpers/fixture.js";
import { createSafe, deploySafeStack, execFromSafe, type SafeStack } from "./helpers/safe.js";

/** ERC-7769's code for "rejected by the EntryPoint's simulateValidation" (the account reverted in validation). */
const SIMULATION_REVERTED = -32500;

const fresh = () => privateKeyToAccount(generatePrivateKey());

type GuardianKind = "Safe 2-of-3" | "Custos account" | "multisig";

/** A contract guardian: its address, and how it makes a call (as its owners would). */
interface ContractGuardian {
  address: Address;
  act(call: Call): Promise<void>;
  /** A key whose signatures the contract accepts through ERC-1271 (the multisig's signer). */
  signer?: LocalAccount;
}

describe("contract guardians under the ERC-7562 rules (alto safe mode on anvil)", { timeout: 300_000 }, () => {
  let fx: Fixture;
  let relayer: SenderClient;
  let safeStack: SafeStack;
  let salt = 100n;

  const wallet = (key: LocalAccount) =>
    createWalletClient({ chain: fx.stack.chain, transport: http(fx.stack.rpcUrl), account: key });
  const recoveryBundler = async (account: Address, signer: LocalAccount) =>
    createCustosBundlerClient({
      client: fx.client,
      account: await toRecoverySmartAccount({ client: fx.client, account, signer }),
      bundlerUrl: fx.stack.bundlerUrl,
    });

  async function contractGuardian(kind: GuardianKind): Promise<ContractGuardian> {
    if (kind === "Safe 2-of-3") {
      const owners = [fresh(), fresh(), fresh()];
      const safe = await createSafe(
        fx.client,
        relayer,
        safeStack,
        owners.map((o) => o.address),
        2,
        salt++,
      );
      return {
        address: safe,
        // Two of its three owners sign the Safe transaction; a relayer that is no owner executes it.
        act: async (call) => {
          const receipt = await execFromSafe(fx.client, relayer, safe, [owners[0]!, owners[2]!], call);
          assert.equal(receipt.status, "success");
        },
      };
    }
    if (kind === "Custos account") {
      // Another Custos account, not yet deployed: its first UserOperation creates it and approves.
      const owner = fresh();
      const account = await toCustosSmartAccount({
        client: fx.client,
        owner,
        factory: fx.stack.deployment.factory,
        config: demoConfig([fresh()], 1),
        salt: salt++,
      });
      await fx.fund(account.address, "0.5");
      const bundlerClient = createCustosBundlerClient({ client: fx.client, account, bundlerUrl: fx.stack.bundlerUrl });
      return {
        address: account.address,
        act: async (call) => {
          await includedByBundler(runUserOperation({ bundlerClient, calls: [call] }));
        },
      };
    }
    const signer = fresh();
    await fx.fund(signer.address, "0.1");
    const artifact = readArtifact("contracts/test/MultisigGuardian.sol", "MultisigGuardian");
    const receipt = await fx.client.waitForTransactionReceipt({
      hash: await relayer.deployContract({
        abi: artifact.abi,
        bytecode: artifact.bytecode,
        args: [signer.address],
        chain: relayer.chain,
        account: relayer.account,
      }),
    });
    const multisig = getAddress(receipt.contractAddress!);
    return {
      address: multisig,
      signer,
      act: async (call) => {
        const hash = await wallet(signer).writeContract({
          address: multisig,
          abi: artifact.abi,
          functionName: "execute",
          args: [call.to, call.data],
        });
        assert.equal((await fx.client.waitForTransactionReceipt({ hash })).status, "success");
      },
    };
  }

  /** An account guarded 2 of 3 by one contract guardian and two EOAs, created and funded. */
  async function mixedAccount(kind: GuardianKind) {
    const guardian = await contractGuardian(kind);
    const eoas = [fresh(), fresh()];
    const owner = fresh();
    const config: GuardianConfig = normalizeConfig({
      ...demoConfig(eoas, 2),
      guardians: [guardian.address, ...eoas.map((e) => e.address)],
    });
    const account = await toCustosSmartAccount({
      client: fx.client,
      owner,
      factory: fx.stack.deployment.factory,
      config,
      salt: salt++,
    });
    await fx.fund(account.address, "1");
    await includedByBundler(
      runUserOperation({
        bundlerClient: createCustosBundlerClient({ client: fx.client, account, bundlerUrl: fx.stack.bundlerUrl }),
        calls: [{ to: owner.address, value: 1n }],
      }),
    );
    return { guardian, eoas, owner, config, address: account.address };
  }

  /** The guardians' approvals the account recorded on-chain for `request` (a bitmap of indexes). */
  const recorded = async (account: Address, config: GuardianConfig, request: ApprovalRequest) =>
    onChainApprovals(
      fx.client,
      await loadAccountContext(fx.client, account, { config }),
      request.kind as "Recovery",
      request.newOwner,
      request.deadline,
    );

  before(async () => {
    fx = await startFixture({ chainPort: 8870, bundlerPort: 4530 });
    assert.equal(fx.stack.safeMode, true);
    relayer = wallet(privateKeyToAccount(fx.stack.devAccounts[3]!.privateKey));
    safeStack = await deploySafeStack(fx.client, relayer);
  });

  after(async () => {
    await fx?.stack.stop();
  });

  for (const kind of ["Safe 2-of-3", "Custos account", "multisig"] as const) {
    describe(kind, () => {
      let world: Awaited<ReturnType<typeof mixedAccount>>;
      const intruder = fresh();

      before(async () => {
        world = await mixedAccount(kind);
      });

      it(`(ERC-7562) starts a recovery with the ${kind} guardian's on-chain approval and one EOA signature`, async () => {
        const request = await buildApprovalRequest(fx.client, {
          account: world.address,
          kind: "Recovery",
          newOwner: intruder.address,
        });
        const approve = await prepareApproveRecovery(fx.client, {
          account: world.address,
          guardian: world.guardian.address,
          newOwner: intruder.address,
          deadline: request.deadline,
          config: world.config,
        });
        await world.guardian.act(approve);
        const index = world.config.guardians.indexOf(world.guardian.address);
        assert.equal(await recorded(world.address, world.config, request), 1n << BigInt(index));
        assert.equal((await loadAccountContext(fx.client, world.address, { config: world.config })).recovering, false);

        const prepared = await prepareStartRecovery(fx.client, {
          account: world.address,
          approvals: [await signApproval(world.eoas[0]!, request)],
          config: world.config,
          forUserOperation: true,
        });
        assert.equal(prepared.count, 2, "one signature in the blob plus the on-chain approval");
        await includedByBundler(
          sendStartRecoveryUserOp(await recoveryBundler(world.address, intruder), {
            newOwner: prepared.newOwner,
            deadline: prepared.deadline,
            config: world.config,
            signatures: prepared.signatures,
          }),
        );
        const live = await loadAccountContext(fx.client, world.address, { config: world.config });
        assert.equal(live.recovering, true);
        assert.equal(live.recovery?.newOwner, intruder.address);
      });

      it(`(ERC-7562) cancels it with the ${kind} guardian's on-chain cancel approval and the owner's UserOperation`, async () => {
        const request = await buildApprovalRequest(fx.client, { account: world.address, kind: "CancelRecovery" });
        const approve = await prepareApproveCancel(fx.client, {
          account: world.address,
          guardian: world.guardian.address,
          deadline: request.deadline,
          config: world.config,
        });
        await world.guardian.act(approve);
        const live = await loadAccountContext(fx.client, world.address, { config: world.config });
        assert.equal(live.recovering, true, "one on-chain approval is not the cancel quorum of 2");

        const cancel = await collectApprovals(
          fx.client,
          live,
          "CancelRecovery",
          [await signApproval(world.owner, request)],
          { forUserOperation: true },
        );
        assert.equal(cancel.count, 2, "the owner's signature in the blob plus the on-chain approval");
        await includedByBundler(
          sendCancelRecoveryUserOp(await recoveryBundler(world.address, world.owner), {
            deadline: cancel.deadline,
            config: world.config,
            signatures: cancel.signatures,
          }),
        );
        assert.equal((await loadAccountContext(fx.client, world.address, { config: world.config })).recovering, false);
        assert.equal(await fx.balance(intruder.address), 0n);
      });
    });
  }

  it("(ERC-7562) refuses a recovery UserOperation carrying a contract guardian's ERC-1271 signature: ContractGuardianMustApproveOnChain", async () => {
    const world = await mixedAccount("multisig");
    const newOwner = fresh();
    const request = await buildApprovalRequest(fx.client, {
      account: world.address,
      kind: "Recovery",
      newOwner: newOwner.address,
    });
    // The multisig's signer signs for it: a valid ERC-1271 approval (one a plain transaction could use).
    const approvals = [
      await signApproval(world.eoas[0]!, request),
      await signApproval(world.guardian.signer!, request, { signerAddress: world.guardian.address }),
    ];
    const live = await loadAccountContext(fx.client, world.address, { config: world.config });
    await assert.rejects(
      collectApprovals(fx.client, live, "Recovery", approvals, { forUserOperation: true }),
      (error: Error & { code?: string }) => error.code === "CONTRACT_GUARDIAN_MUST_APPROVE_ONCHAIN",
    );

    // Sent anyway, the account's validation refuses it before calling the guardian.
    const blob = await collectApprovals(fx.client, live, "Recovery", approvals);
    assert.deepEqual(blob.approvals.map((a) => a.signatureKind).sort(), ["ecdsa", "erc1271"]);
    const refused = await sendStartRecoveryUserOp(await recoveryBundler(world.address, newOwner), {
      newOwner: newOwner.address,
      deadline: blob.deadline,
      config: world.config,
      signatures: blob.signatures,
    }).then(
      () => assert.fail("the bundler accepted an ERC-1271 entry in a recovery UserOperation"),
      (error: unknown) => error,
    );
    const refusal = bundlerRefusal(refused) ?? assert.fail(`not a bundler refusal: ${String(refused)}`);
    const reason = encodeErrorResult({
      abi: custosAccountAbi,
      errorName: "ContractGuardianMustApproveOnChain",
      args: [world.guardian.address],
    });
    // ERC-7769's -32500: the EntryPoint's simulated validation failed; AA23 carries the account's revert.
    assert.deepEqual(refusal, {
      code: SIMULATION_REVERTED,
      message: `UserOperation reverted during simulation with reason: AA23 reverted ${reason}`,
    });
    assert.equal((await loadAccountContext(fx.client, world.address, { config: world.config })).recovering, false);
  });
});
