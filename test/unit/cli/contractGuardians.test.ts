/**
 * Contract guardians approve from the command line (S14): a Safe's owners sign the Safe transaction
 * `custos recovery approve --safe` writes and anyone sends it (`custos safe sign|exec`); a Custos account
 * guardian approves with its owner's UserOperation (`--from-account`); `recovery start --userop` and
 * `recovery cancel --userop` count the approvals recorded on-chain and refuse an ERC-1271 signature.
 * Runs against anvil and alto in safe mode, so every UserOperation the CLI sends obeys ERC-7562.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createWalletClient, getAddress, http, type Address, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  buildApprovalRequest,
  encodeSignedApproval,
  getFactoryData,
  normalizeConfig,
  predictAccountAddress,
  signApproval,
  type GuardianConfig,
} from "../../../custos/index.js";
import { deploymentPath, writeDeployment } from "../../../custos/deployments.js";
import { readArtifact } from "../../../custos/deploy/artifacts.js";
import { demoConfig, startFixture, type Fixture } from "../../integration/helpers/fixture.js";
import { createSafe, deploySafeStack } from "../../integration/helpers/safe.js";
import { assertFails, assertSucceeds, runCli } from "./runCli.js";

const CHAIN_PORT = 8871;
const BUNDLER_PORT = 4531;
const NETWORK = `unit-cli-${CHAIN_PORT}`;

interface Key {
  key: Hex;
  account: LocalAccount;
}
const freshKey = (): Key => {
  const key = generatePrivateKey();
  return { key, account: privateKeyToAccount(key) };
};

describe("custos command line: contract guardians approve on-chain", { timeout: 600_000 }, () => {
  let fx: Fixture;
  let dir: string;
  let salt = 1n;
  const custos = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, env, ["--network", NETWORK, "--rpc", fx.stack.rpcUrl, "--bundler", fx.stack.bundlerUrl]);
  const file = (name: string) => path.join(dir, name);
  const deployer = () =>
    createWalletClient({
      chain: fx.stack.chain,
      transport: http(fx.stack.rpcUrl),
      account: privateKeyToAccount(fx.stack.devAccounts[2]!.privateKey),
    });

  /** A Custos account created by a factory transaction, funded with 1 ETH. */
  async function createAccount(owner: Address, config: GuardianConfig): Promise<Address> {
    const s = salt++;
    const hash = await deployer().sendTransaction({
      to: fx.stack.deployment.factory,
      data: getFactoryData(owner, config, s),
    });
    await fx.client.waitForTransactionReceipt({ hash });
    const address = await predictAccountAddress(fx.client, fx.stack.deployment.factory, owner, config, s);
    await fx.fund(address, "1");
    return address;
  }

  /** An account guarded 2 of 3 by `contract` and two EOAs. */
  async function mixedAccount(contract: Address) {
    const owner = freshKey();
    const eoas = [freshKey(), freshKey()];
    const config = normalizeConfig({
      ...demoConfig(
        eoas.map((e) => e.account),
        2,
      ),
      guardians: [contract, ...eoas.map((e) => e.account.address)],
    });
    return { owner, eoas, config, address: await createAccount(owner.account.address, config) };
  }

  /** `custos recovery request` for `world` to `newOwner`, written to `name`. */
  async function requestRecovery(world: { address: Address }, newOwner: Key, name: string): Promise<string> {
    const out = file(name);
    assertSucceeds(
      await custos([
        "recovery",
        "request",
        "--account",
        world.address,
        "--new-owner",
        newOwner.account.address,
        "--out",
        out,
      ]),
    );
    return out;
  }

  /** One EOA guardian signs `request`; the new owner starts the recovery with a UserOperation. */
  async function startWithOneEoa(world: { address: Address }, request: string, eoa: Key, newOwner: Key) {
    const signed = `${request}.eoa.json`;
    assertSucceeds(
      await custos(["recovery", "approve", "--request", request, "--out", signed], { CUSTOS_GUARDIAN_KEY: eoa.key }),
    );
    const started = await custos(["recovery", "start", "--account", world.address, "--userop", signed], {
      CUSTOS_NEW_OWNER_KEY: newOwner.key,
    });
    return assertSucceeds(started).stdout;
  }

  /** The owner signs the cancel of the running recovery; returns the file and the deadline it chose. */
  async function ownerSignsCancel(world: { address: Address; owner: Key }, name: string) {
    const out = file(name);
    const signed = assertSucceeds(
      await custos(["recovery", "cancel-approve", "--account", world.address, "--signer", "owner", "--out", out], {
        CUSTOS_OWNER_KEY: world.owner.key,
      }),
    );
    return { file: out, deadline: /\(deadline (\d+):/.exec(signed.stderr)![1]! };
  }

  /** The owner sends the cancel with its own signature file; the on-chain approvals complete it. */
  async function ownerCancels(world: { address: Address; owner: Key }, ownerFile: string) {
    const cancelled = await custos(["recovery", "cancel", "--account", world.address, "--userop", ownerFile], {
      CUSTOS_OWNER_KEY: world.owner.key,
    });
    return assertSucceeds(cancelled).stdout;
  }

  before(async () => {
    fx = await startFixture({ chainPort: CHAIN_PORT, bundlerPort: BUNDLER_PORT });
    writeDeployment({ ...fx.stack.deployment, network: NETWORK });
    dir = mkdtempSync(path.join(tmpdir(), "custos-cli-cg-"));
  });
  after(async () => {
    rmSync(deploymentPath(NETWORK), { force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
    await fx?.stack.stop();
  });

  it("shows the contract-guardian commands in the help", async () => {
    const [top, recovery, safe] = await Promise.all([
      custos(["--help"]),
      custos(["recovery", "--help"]),
      custos(["safe", "--help"]),
    ]);
    assert.match(assertSucceeds(top).stdout, /safe sign\|exec/);
    assert.match(assertSucceeds(recovery).stdout, /--safe <address>/);
    assert.match(recovery.stdout, /--from-account <address>/);
    assert.match(assertSucceeds(safe).stdout, /^custos safe <sign\|exec>/);
    assertFails(await custos(["safe", "frob"]), /unknown command "custos safe frob"/, 2);
    assertFails(await custos(["safe", "sign"]), /--tx is required/, 2);
  });

  it("a Safe guardian's owners approve a recovery and its cancel; start and cancel --userop count the on-chain approvals", async () => {
    const safeOwners = [freshKey(), freshKey(), freshKey()];
    const safe = await createSafe(
      fx.client,
      deployer(),
      await deploySafeStack(fx.client, deployer()),
      safeOwners.map((o) => o.account.address),
      2,
    );
    const world = await mixedAccount(safe);
    const newOwner = freshKey();
    const request = await requestRecovery(world, newOwner, "request.json");
    const made = assertSucceeds(
      await custos(["recovery", "approve", "--request", request, "--safe", safe, "--out", file("safe-tx.json")]),
    );
    assert.match(made.stderr, /2 of its 3 owners run `custos safe sign --tx .*safe-tx\.json`/);
    const written = JSON.parse(readFileSync(file("safe-tx.json"), "utf8")) as Record<string, unknown>;
    assert.equal(written.threshold, 2);
    assert.deepEqual(
      written.owners,
      safeOwners.map((o) => o.account.address),
    );
    assert.equal((written.typedData as { primaryType: string }).primaryType, "SafeTx");

    assertFails(
      await custos(["recovery", "approve", "--request", request, "--safe", world.eoas[0]!.account.address]),
      new RegExp(`there is no Safe at ${world.eoas[0]!.account.address}`),
    );
    assertFails(
      await custos(["safe", "exec", "--tx", file("safe-tx.json")]),
      /the Safe needs 2 owner signatures and 0 have signed: ask 2 more of its owners to sign/,
    );
    const stranger = freshKey();
    assertFails(
      await custos(["safe", "sign", "--tx", file("safe-tx.json")], { CUSTOS_GUARDIAN_KEY: stranger.key }),
      new RegExp(`${stranger.account.address} is not an owner of the Safe ${safe}`),
    );
    const first = await custos(["safe", "sign", "--tx", file("safe-tx.json")], {
      CUSTOS_GUARDIAN_KEY: safeOwners[0]!.key,
    });
    assert.match(assertSucceeds(first).stdout, /1 of 2 signatures$/m);
    assertFails(
      await custos(["safe", "exec", "--tx", file("safe-tx.json")]),
      /the Safe needs 2 owner signatures and 1 has signed/,
    );
    const second = await custos(["safe", "sign", "--tx", file("safe-tx.json")], {
      CUSTOS_GUARDIAN_KEY: safeOwners[2]!.key,
    });
    assert.match(assertSucceeds(second).stdout, /2 of 2 signatures; ready for `custos safe exec`/);
    const executed = assertSucceeds(await custos(["safe", "exec", "--tx", file("safe-tx.json")]));
    assert.match(
      executed.stdout,
      new RegExp(
        `the Safe ${safe} approved the recovery of ${world.address} .* on-chain; the other guardians' signatures start it`,
      ),
    );
    assertFails(
      await custos(["safe", "exec", "--tx", file("safe-tx.json")]),
      /the Safe has executed other transactions since this one was made/,
    );

    // One EOA guardian signs; the UserOperation carries its signature, the Safe's approval is on-chain.
    assert.match(
      await startWithOneEoa(world, request, world.eoas[0]!, newOwner),
      /started with 2 of 2 approvals.*\(UserOperation 0x[0-9a-f]{64}/,
    );

    // The cancel: the owner signs, the Safe approves on-chain with the same deadline, the owner sends it.
    const { file: ownerFile, deadline } = await ownerSignsCancel(world, "owner.json");
    assertFails(
      await custos(["recovery", "cancel-approve", "--account", world.address, "--safe", safe]),
      /--deadline is required with --safe or --from-account/,
      2,
    );
    assertSucceeds(
      await custos([
        "recovery",
        "cancel-approve",
        "--account",
        world.address,
        "--safe",
        safe,
        "--deadline",
        deadline,
        "--out",
        file("cancel-tx.json"),
      ]),
    );
    for (const owner of [safeOwners[1]!, safeOwners[0]!]) {
      assertSucceeds(
        await custos(["safe", "sign", "--tx", file("cancel-tx.json")], { CUSTOS_GUARDIAN_KEY: owner.key }),
      );
    }
    const cancelApproved = assertSucceeds(await custos(["safe", "exec", "--tx", file("cancel-tx.json")]));
    assert.match(
      cancelApproved.stdout,
      /approved the cancel of the recovery .* on-chain; the owner's or other guardians' signatures complete/,
    );
    assert.match(await ownerCancels(world, ownerFile), /^recovery cancelled \(UserOperation 0x[0-9a-f]{64}/);
    const status = assertSucceeds(await custos(["status", "--account", world.address]));
    assert.match(status.stdout, /Recovery +none pending/);
  });

  it("a Custos account guardian approves with --from-account, as a UserOperation of its owner", async () => {
    const guardianOwner = freshKey();
    const guardian = await createAccount(guardianOwner.account.address, demoConfig([freshKey().account], 1));
    const world = await mixedAccount(guardian);
    const newOwner = freshKey();
    const request = await requestRecovery(world, newOwner, "request2.json");
    const approveArgs = ["recovery", "approve", "--request", request, "--from-account", guardian];
    assertFails(
      await custos(approveArgs),
      new RegExp(`set CUSTOS_OWNER_KEY to the owner of the guardian account ${guardian}`),
    );
    assertFails(
      await custos(approveArgs, { CUSTOS_OWNER_KEY: world.owner.key }),
      /is not the owner of this account|not the owner/,
    );
    assertFails(
      await custos([...approveArgs, "--safe", guardian], { CUSTOS_OWNER_KEY: guardianOwner.key }),
      /give --safe or --from-account, not both/,
      2,
    );
    const approved = assertSucceeds(await custos(approveArgs, { CUSTOS_OWNER_KEY: guardianOwner.key }));
    assert.match(
      approved.stdout,
      new RegExp(
        `the guardian account ${guardian} approved the recovery of ${world.address} to ${newOwner.account.address} on-chain; .*\\(UserOperation 0x[0-9a-f]{64}`,
      ),
    );
    assertFails(
      await custos(approveArgs, { CUSTOS_OWNER_KEY: guardianOwner.key }),
      new RegExp(`guardian ${guardian} already approved this recovery`),
    );
    assert.match(await startWithOneEoa(world, request, world.eoas[1]!, newOwner), /started with 2 of 2 approvals/);

    // Its cancel approval also goes through its owner's UserOperation.
    const { file: ownerFile, deadline } = await ownerSignsCancel(world, "owner2.json");
    const cancelApproved = await custos(
      ["recovery", "cancel-approve", "--account", world.address, "--from-account", guardian, "--deadline", deadline],
      { CUSTOS_OWNER_KEY: guardianOwner.key },
    );
    assert.match(assertSucceeds(cancelApproved).stdout, /approved the cancel of the recovery .* on-chain/);
    assert.match(await ownerCancels(world, ownerFile), /^recovery cancelled/);
  });

  it("recovery start --userop refuses a contract guardian's ERC-1271 signature with a plain sentence", async () => {
    const signer = freshKey();
    const artifact = readArtifact("contracts/test/MultisigGuardian.sol", "MultisigGuardian");
    const receipt = await fx.client.waitForTransactionReceipt({
      hash: await deployer().deployContract({
        abi: artifact.abi,
        bytecode: artifact.bytecode,
        args: [signer.account.address],
      }),
    });
    const multisig = getAddress(receipt.contractAddress!);
    const world = await mixedAccount(multisig);
    const newOwner = freshKey();
    const request = await buildApprovalRequest(fx.client, {
      account: world.address,
      kind: "Recovery",
      newOwner: newOwner.account.address,
    });
    writeFileSync(
      file("multisig.json"),
      encodeSignedApproval(await signApproval(signer.account, request, { signerAddress: multisig })),
    );
    writeFileSync(file("eoa3.json"), encodeSignedApproval(await signApproval(world.eoas[0]!.account, request)));
    assertFails(
      await custos(
        ["recovery", "start", "--account", world.address, "--userop", file("eoa3.json"), file("multisig.json")],
        {
          CUSTOS_NEW_OWNER_KEY: newOwner.key,
        },
      ),
      new RegExp(
        `^custos: guardian ${multisig} is a contract: it approves with an on-chain call \\(for a Safe, a transaction its owners sign\\), not with a signature in the UserOperation$`,
      ),
    );
  });
});
