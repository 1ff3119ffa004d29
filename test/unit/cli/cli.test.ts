import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deploymentPath, writeDeployment } from "../../../custos/deployments.js";
import { startLocalChain, type LocalChain } from "../../helpers/localChain.js";

const PORT = 8668;
const NETWORK = `unit-cli-${PORT}`;
const WRONG_CHAIN = `unit-cli-${PORT}-wrong-chain`;
const ROOT = path.resolve(import.meta.dirname, "../../..");

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would, against the test chain and a port where no bundler listens. */
function custos(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/custos.ts",
        ...args,
        ...(args.includes("--network") ? [] : ["--network", NETWORK]),
        "--rpc",
        `http://127.0.0.1:${PORT}`,
        "--bundler",
        "http://127.0.0.1:4439",
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Asserts a failure: non-zero exit and exactly one line `custos: <sentence>` on stderr. */
function assertFails(result: Result, message: RegExp, code = 1) {
  assert.equal(result.code, code, `exit code (stderr: ${result.stderr})`);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${result.stderr}`);
  assert.match(lines[0]!, /^custos: /);
  assert.match(lines[0]!, message);
}

describe("custos command line", () => {
  let chain: LocalChain;
  let dir: string;
  const ownerKey = generatePrivateKey();
  const guardianKeys = [generatePrivateKey(), generatePrivateKey()];
  const guardians = guardianKeys.map((k) => privateKeyToAccount(k).address);
  const newOwner = privateKeyToAccount(generatePrivateKey()).address;
  let account = "";

  before(async () => {
    chain = await startLocalChain(PORT);
    writeDeployment({ ...chain.deployment, network: NETWORK });
    writeDeployment({ ...chain.deployment, network: WRONG_CHAIN, chainId: 1 });
    dir = mkdtempSync(path.join(tmpdir(), "custos-cli-"));
    await chain.fund(privateKeyToAccount(ownerKey).address);
    for (const g of guardians) await chain.fund(g);
  });
  after(async () => {
    rmSync(deploymentPath(NETWORK), { force: true });
    rmSync(deploymentPath(WRONG_CHAIN), { force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
    await chain?.stop();
  });

  it("prints help for the tool and for every command group", async () => {
    const top = await custos(["--help"]);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /recovery request\|approve\|start\|execute/);
    const groups = ["recovery", "rotate", "guardians", "config", "approvals", "status", "lock", "send", "account"];
    const results = await Promise.all(groups.map((group) => custos([group, "--help"])));
    results.forEach((result, i) => {
      assert.equal(result.code, 0, `${groups[i]} --help`);
      assert.match(result.stdout, new RegExp(`^custos ${groups[i]}`));
    });
  });

  it("rejects an unknown command with exit code 2", async () => {
    assertFails(await custos(["frobnicate"]), /unknown command "frobnicate"/, 2);
  });

  it("rejects a malformed address", async () => {
    assertFails(await custos(["status", "--account", "0x1234"]), /--account "0x1234" is not an Ethereum address/);
  });

  it("rejects an address without an account", async () => {
    assertFails(
      await custos(["status", "--account", guardians[0]!]),
      new RegExp(`there is no Custos account at ${guardians[0]}`),
    );
  });

  it("rejects a network without a deployment, and a chain that does not match the deployment", async () => {
    const [missing, wrong] = await Promise.all([
      custos(["status", "--account", guardians[0]!, "--network", "nowhere"]),
      custos(["status", "--account", guardians[0]!, "--network", WRONG_CHAIN]),
    ]);
    assertFails(missing, /no deployment for network "nowhere"/);
    assertFails(wrong, /wrong network: .* is chain 31337 but deployments\/.*\.json is for chain 1/);
  });

  it("creates an account with a factory transaction when no bundler answers", async () => {
    const result = await custos(
      ["account", "create", "--guardian", guardians[0]!, "--guardian", guardians[1]!, "--threshold", "2"],
      { CUSTOS_OWNER_KEY: ownerKey },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /deployed by factory transaction 0x[0-9a-f]{64}/);
    account = /^account (0x[0-9a-fA-F]{40})$/m.exec(result.stdout)![1]!;
    const status = await custos(["status", "--account", account]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`Owner +${privateKeyToAccount(ownerKey).address}`));
    assert.match(status.stdout, /2 of 2 guardians needed to recover/);
    assert.match(status.stdout, /Recovery +none pending/);
  });

  it("runs the lost-signer recovery with the scripts alone, refusing bad input on the way", async () => {
    const request = path.join(dir, "request.json");
    const requested = await custos([
      "recovery",
      "request",
      "--account",
      account,
      "--new-owner",
      newOwner,
      "--out",
      request,
    ]);
    assert.equal(requested.code, 0, requested.stderr);
    assert.match(requested.stderr, /link for guardians: http:\/\/.*\?request=/);

    const signatures = guardianKeys.map((_, i) => path.join(dir, `guardian${i}.json`));
    for (const [i, key] of guardianKeys.entries()) {
      const approved = await custos(["recovery", "approve", "--request", request, "--out", signatures[i]!], {
        CUSTOS_GUARDIAN_KEY: key,
      });
      assert.equal(approved.code, 0, approved.stderr);
    }

    const strangerKey = generatePrivateKey();
    const stranger = privateKeyToAccount(strangerKey);
    assertFails(
      await custos(["recovery", "approve", "--request", request], { CUSTOS_GUARDIAN_KEY: strangerKey }),
      new RegExp(`signer ${stranger.address} is not a guardian of this account`),
    );

    const malformed = path.join(dir, "malformed.json");
    writeFileSync(malformed, '{"custos":"approval","version":1,"kind":"Recovery"}');
    assertFails(await custos(["recovery", "start", "--account", account, malformed]), /^custos: malformed signature: /);

    assertFails(
      await custos(["recovery", "start", "--account", account, signatures[0]!]),
      /not enough approvals: 1 valid, 2 needed/,
    );

    const started = await custos(["recovery", "start", "--account", account, ...signatures]);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /recovery to .* started with 2 of 2 approvals/);

    assertFails(
      await custos(["recovery", "execute", "--account", account]),
      /^custos: recovery not yet executable: (2 min|1 min \d+ s) left$/,
    );
    assertFails(
      await custos(["send", "--account", account, "--to", newOwner, "--value", "0.1", "--via", "tx"], {
        CUSTOS_OWNER_KEY: ownerKey,
      }),
      /a recovery is pending: the owner key is frozen/,
    );

    await chain.increaseTime(120);
    const executed = await custos(["recovery", "execute", "--account", account]);
    assert.equal(executed.code, 0, executed.stderr);
    const status = await custos(["status", "--account", account]);
    assert.match(status.stdout, new RegExp(`Owner +${newOwner}`));
    assert.match(status.stdout, /owner 0x[0-9a-fA-F]{40} → 0x[0-9a-fA-F]{40} \(recovery\)/);

    assertFails(
      await custos(["recovery", "start", "--account", account, ...signatures]),
      /approval is stale: the account's configuration or recovery nonce changed/,
    );
  });

  it("rotates the signer with the same request and signature formats", async () => {
    const currentKey = generatePrivateKey();
    const created = await custos(
      ["account", "create", "--guardian", guardians[0]!, "--guardian", guardians[1]!, "--salt", "7"],
      {
        CUSTOS_OWNER_KEY: currentKey,
      },
    );
    assert.equal(created.code, 0, created.stderr);
    const rotated = /^account (0x[0-9a-fA-F]{40})$/m.exec(created.stdout)![1]!;
    await chain.fund(privateKeyToAccount(currentKey).address);
    const nextOwner = privateKeyToAccount(generatePrivateKey()).address;
    const request = path.join(dir, "rotation.json");
    const requested = await custos([
      "rotate",
      "request",
      "--account",
      rotated,
      "--new-owner",
      nextOwner,
      "--out",
      request,
    ]);
    assert.equal(requested.code, 0, requested.stderr);
    const signature = path.join(dir, "rotation-sig.json");
    const approved = await custos(["rotate", "approve", "--request", request, "--out", signature], {
      CUSTOS_GUARDIAN_KEY: guardianKeys[1]!,
    });
    assert.equal(approved.code, 0, approved.stderr);
    assertFails(
      await custos(["recovery", "start", "--account", rotated, signature]),
      /this is a Rotation approval, a Recovery approval is needed/,
    );
    const submitted = await custos(["rotate", "submit", "--account", rotated, "--via", "tx", signature], {
      CUSTOS_OWNER_KEY: currentKey,
    });
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.match(submitted.stdout, new RegExp(`owner rotated to ${nextOwner}`));
  });
});
