import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Address } from "viem";
import { normalizeConfig } from "../../../custos/config.js";
import { custosFactoryAbi } from "../../../custos/generated/abis.js";
import { deriveOwnerAddress, generateMnemonic } from "../../../custos/backup/index.js";
import { startLocalChain, type LocalChain } from "../../helpers/localChain.js";

const PORT = 8642;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const PASSWORD = "integration lantern quarry 77";
const NEW_PASSWORD = "second harbour violet 31";
const CONFIG = normalizeConfig({
  guardians: [],
  threshold: 0,
  recoveryDelay: 120,
  securityPeriod: 30,
  securityWindow: 30,
  lockPeriod: 60,
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tsx scripts/commands/backup.ts …` without a terminal, secrets only from `env`. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("CUSTOS_")));
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules/.bin/tsx"),
      [path.join(ROOT, "scripts/commands/backup.ts"), ...args],
      { cwd: ROOT, env: { ...clean, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("custos backup CLI against a local chain", () => {
  let chain: LocalChain;
  let dir: string;
  let deploymentFile: string;
  let rpc: string[];
  const words = generateMnemonic();
  let kitOfWords: string;
  let account: Address;

  const file = (name: string) => path.join(dir, name);

  before(async () => {
    chain = await startLocalChain(PORT);
    dir = mkdtempSync(path.join(tmpdir(), "custos-backup-cli-"));
    deploymentFile = file("deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(chain.deployment));
    rpc = ["--rpc-url", chain.rpcUrl];
    kitOfWords = file("words.kit.json");
  });

  after(async () => {
    await chain?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("--help lists every subcommand, and each subcommand has its own help", async () => {
    const top = await cli(["--help"]);
    assert.equal(top.code, 0);
    for (const sub of ["create", "export", "verify", "restore", "change-password", "paper"]) {
      assert.match(top.stdout, new RegExp(`\\b${sub}\\b`));
      const help = await cli([sub, "--help"]);
      assert.equal(help.code, 0, sub);
      assert.match(help.stdout, new RegExp(`Usage: custos backup ${sub}`));
    }
  });

  it("an unknown option is a one-line error with exit code 1", async () => {
    const run = await cli(["verify", "--nope"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: .*--nope/);
  });

  it("export writes a kit for existing words, predicting the account address from the factory", async () => {
    const run = await cli(
      ["export", "--deployment", deploymentFile, "--delays", "120,30,30,60", "--out", kitOfWords, ...rpc],
      { CUSTOS_MNEMONIC: words, CUSTOS_BACKUP_PASSWORD: PASSWORD },
    );
    assert.equal(run.code, 0, run.stderr);
    const match = /account (0x[0-9a-fA-F]{40}) on chain 31337 written to/.exec(run.stdout);
    assert.ok(match, run.stdout);
    account = match[1] as Address;
    assert.ok(!run.stdout.includes(words));
    assert.equal(readFileSync(kitOfWords, "utf8").includes(words.split(" ")[0]!), false);
  });

  it("verify before the account exists says there is no account there", async () => {
    const run = await cli(["verify", "--kit", kitOfWords, ...rpc], { CUSTOS_BACKUP_PASSWORD: PASSWORD });
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`There is no Custos account at ${account} on chain 31337`));
  });

  it("verify --kit: this backup restores the account once it is deployed", async () => {
    const { request } = await chain.client.simulateContract({
      account: chain.funder.account,
      address: chain.deployment.factory,
      abi: custosFactoryAbi,
      functionName: "createAccount",
      args: [deriveOwnerAddress(words), CONFIG, 0n],
    });
    await chain.client.waitForTransactionReceipt({ hash: await chain.funder.writeContract(request) });
    const run = await cli(["verify", "--kit", kitOfWords, ...rpc], { CUSTOS_BACKUP_PASSWORD: PASSWORD });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), `This backup restores account ${account} on chain 31337.`);
  });

  it("verify --words: other words do NOT match", async () => {
    const run = await cli(["verify", "--words", "--account", account, ...rpc], { CUSTOS_MNEMONIC: generateMnemonic() });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /This backup does NOT match/);
  });

  it("verify with a wrong password fails with a human message", async () => {
    const run = await cli(["verify", "--kit", kitOfWords, ...rpc], { CUSTOS_BACKUP_PASSWORD: "not the password" });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: Wrong backup password/);
  });

  it("without a password and without a terminal, asks for the environment variable", async () => {
    const run = await cli(["verify", "--kit", kitOfWords, ...rpc]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /set CUSTOS_BACKUP_PASSWORD or run in a terminal/);
  });

  it("a tampered kit is refused", async () => {
    const text = readFileSync(kitOfWords, "utf8");
    const tampered = file("tampered.kit.json");
    writeFileSync(
      tampered,
      text.replace(/"ciphertext": "(.)/, (_, c: string) => `"ciphertext": "${c === "0" ? "1" : "0"}`),
    );
    const run = await cli(["verify", "--kit", tampered, ...rpc], { CUSTOS_BACKUP_PASSWORD: PASSWORD });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot be decrypted/);
  });

  it("restore --words finds the account from the chain's events", async () => {
    const run = await cli(["restore", "--words", "--deployment", deploymentFile, ...rpc], { CUSTOS_MNEMONIC: words });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`These words restore account ${account} on chain 31337\\.`));
  });

  it("restore --kit prints the recovery details, and the words only with --show-words", async () => {
    const env = { CUSTOS_BACKUP_PASSWORD: PASSWORD };
    const quiet = await cli(["restore", "--kit", kitOfWords, ...rpc], env);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(quiet.stdout, new RegExp(`This backup restores account ${account}`));
    assert.match(quiet.stdout, /Delays: recovery 120 s/);
    assert.ok(!quiet.stdout.includes(words.split(" ").slice(0, 3).join("\n")));
    const shown = await cli(["restore", "--kit", kitOfWords, "--show-words", ...rpc], env);
    words.split(" ").forEach((w, i) => assert.ok(shown.stdout.includes(`${String(i + 1).padStart(2)}. ${w}`)));
  });

  it("restore --kit --account refuses a kit for another account", async () => {
    const run = await cli(
      ["restore", "--kit", kitOfWords, "--account", "0x000000000000000000000000000000000000dEaD", ...rpc],
      { CUSTOS_BACKUP_PASSWORD: PASSWORD },
    );
    assert.equal(run.code, 1);
    assert.match(run.stderr, /This recovery kit is for account .* not for account/);
  });

  it("never overwrites an existing kit without --force, and replaces it with --force", async () => {
    const before = readFileSync(kitOfWords, "utf8");
    const args = ["export", "--deployment", deploymentFile, "--delays", "120,30,30,60", "--account", account];
    const env = { CUSTOS_MNEMONIC: words, CUSTOS_BACKUP_PASSWORD: PASSWORD };
    const refused = await cli([...args, "--out", kitOfWords], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already exists; nothing was written/);
    assert.equal(readFileSync(kitOfWords, "utf8"), before);
    const forced = await cli([...args, "--out", kitOfWords, "--force"], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(readFileSync(kitOfWords, "utf8"), before);
  });

  it("change-password writes a new kit, says the old one keeps its old password, and leaves it untouched", async () => {
    const before = readFileSync(kitOfWords, "utf8");
    const out = file("new-password.kit.json");
    const run = await cli(["change-password", "--in", kitOfWords, "--out", out], {
      CUSTOS_BACKUP_PASSWORD: PASSWORD,
      CUSTOS_NEW_BACKUP_PASSWORD: NEW_PASSWORD,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /old recovery kit still opens with the old password/);
    assert.equal(readFileSync(kitOfWords, "utf8"), before);
    const newOk = await cli(["verify", "--kit", out, ...rpc], { CUSTOS_BACKUP_PASSWORD: NEW_PASSWORD });
    assert.equal(newOk.code, 0, newOk.stderr);
    const oldOk = await cli(["verify", "--kit", kitOfWords, ...rpc], { CUSTOS_BACKUP_PASSWORD: PASSWORD });
    assert.equal(oldOk.code, 0, oldOk.stderr);
  });

  it("change-password refuses a weak new password and writes nothing", async () => {
    const out = file("weak.kit.json");
    const run = await cli(["change-password", "--in", kitOfWords, "--out", out], {
      CUSTOS_BACKUP_PASSWORD: PASSWORD,
      CUSTOS_NEW_BACKUP_PASSWORD: "password1234",
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /too weak/);
    assert.equal(existsSync(out), false);
  });

  it("create makes new words and a kit, printing the words only with --show-words", async () => {
    const base = ["create", "--deployment", deploymentFile, "--delays", "120,30,30,60", ...rpc];
    const env = { CUSTOS_BACKUP_PASSWORD: PASSWORD };
    const hidden = await cli([...base, "--out", file("new.kit.json")], env);
    assert.equal(hidden.code, 0, hidden.stderr);
    assert.doesNotMatch(hidden.stdout, / 1\. /);
    const paper = await cli(["paper", "--kit", file("new.kit.json"), "--show-words"], env);
    assert.equal(paper.code, 0, paper.stderr);
    const newWords = [...paper.stdout.matchAll(/\d+\. ([a-z]+)/g)].map((m) => m[1]);
    assert.equal(newWords.length, 12);
    assert.ok(!hidden.stdout.includes(newWords.join(" ")));

    const shown = await cli([...base, "--words", "24", "--show-words", "--out", file("new24.kit.json")], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /Your 24 words/);
    assert.match(shown.stdout, /24\. [a-z]+/);
  });

  it("paper needs --show-words, prints numbered words as text or an HTML page with a QR code", async () => {
    const env = { CUSTOS_BACKUP_PASSWORD: PASSWORD };
    const refused = await cli(["paper", "--kit", kitOfWords], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /add --show-words/);
    const text = await cli(["paper", "--kit", kitOfWords, "--show-words"], env);
    assert.match(text.stdout, new RegExp(`Account: ${account}`));
    assert.match(text.stdout, new RegExp(` 1\\. ${words.split(" ")[0]}`));
    const html = await cli(["paper", "--kit", kitOfWords, "--show-words", "--html"], env);
    assert.match(html.stdout, /^<!doctype html>/);
    assert.match(html.stdout, /<svg/);
  });

  it("export keeps guardian names for the address book; restore shows them and flags an outdated guardian list", async () => {
    const base = ["export", "--deployment", deploymentFile, "--delays", "120,30,30,60", "--account", account];
    const guardian = "0x3333333333333333333333333333333333333333=Alice Martin";
    const env = { CUSTOS_MNEMONIC: words, CUSTOS_BACKUP_PASSWORD: PASSWORD };
    const missing = await cli([...base, "--guardian", guardian, "--out", file("g0.kit.json")], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--threshold is required with guardians/);
    const made = await cli([...base, "--guardian", guardian, "--threshold", "1", "--out", file("g1.kit.json")], env);
    assert.equal(made.code, 0, made.stderr);
    const restored = await cli(["restore", "--kit", file("g1.kit.json"), ...rpc], env);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stdout,
      /Guardians \(1 of 1 needed for recovery\):\n {2}0x3333333333333333333333333333333333333333 {2}Alice Martin/,
    );
    assert.match(restored.stdout, /The guardians changed since this kit was made/);
  });

  it("bad words are refused with a did-you-mean suggestion", async () => {
    const typo = words.split(" ");
    const index = typo.findIndex((w) => w.length >= 4); // unique by its first four letters
    const original = typo[index]!;
    typo[index] = `${original}q`;
    const run = await cli(["verify", "--words", "--account", account, ...rpc], { CUSTOS_MNEMONIC: typo.join(" ") });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`Word ${index + 1} "${original}q" is not a BIP39 word\\. Did you mean .*"${original}"`),
    );
  });
});
