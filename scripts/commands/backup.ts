/**
 * `custos backup <create|export|verify|restore|change-password|paper>`: the seed backup of
 * SPEC §4 from a terminal. Secrets come from environment variables or a hidden prompt; words are
 * printed only with --show-words and never written to disk unencrypted.
 */
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { createPublicClient, getAddress, http, isAddress, type Address, type PublicClient } from "viem";
import { normalizeConfig, predictAccountAddress } from "../../custos/index.js";
import {
  loadDeployment,
  type CustosDeployment,
  assertNewFile,
  readSecret,
  readTextFile,
  writeNewFile,
} from "../../custos/node.js";
import {
  BackupError,
  OLD_KIT_NOTICE,
  PassphraseRequiredError,
  WrongChainError,
  backupPasswordStrength,
  changeKitPassword,
  decryptKit,
  deriveOwnerAddress,
  encryptKit,
  generateMnemonic,
  parseMnemonic,
  renderPaperBackup,
  restoreFromKit,
  restoreFromWords,
  verifyBackup,
  verifyWords,
  type KitGuardian,
  type RecoveryBackup,
  type RecoveryContext,
} from "../../custos/backup/index.js";

/** Bad command-line input: the entry point prints the message and exits 1. */
export class BackupCommandError extends Error {
  override name = "BackupCommandError";
}

export const ENV = {
  password: "CUSTOS_BACKUP_PASSWORD",
  newPassword: "CUSTOS_NEW_BACKUP_PASSWORD",
  mnemonic: "CUSTOS_MNEMONIC",
  passphrase: "CUSTOS_BIP39_PASSPHRASE",
  rpcUrl: "CUSTOS_RPC_URL",
} as const;

const SECRETS = `Secrets: backup password from ${ENV.password} (new one: ${ENV.newPassword}), words from
${ENV.mnemonic}, BIP39 passphrase from ${ENV.passphrase}; otherwise asked on the terminal.
RPC: --rpc-url or ${ENV.rpcUrl}.`;

const CONTEXT_OPTIONS = `  --network <name>        deployments/<name>.json gives the chain id and factory
  --deployment <file>     or: a deployment file of that form
  --account <0x…>         the account (default: the factory's address for these words and guardians; needs RPC)
  --guardian <0x…[=Name]> a guardian, repeatable; the name goes to the kit's address book
  --threshold <n>         guardian approvals needed for recovery (default: 0 without guardians)
  --delays <r,sp,sw,l>    recoveryDelay,securityPeriod,securityWindow,lockPeriod in seconds
  --salt <n>              the account's factory salt (default 0)
  --passphrase            the seed uses a BIP39 passphrase (never stored in the kit)
  --out <file>            where to write the kit; an existing file is kept unless --force
  --force                 replace an existing output file`;

const HELP: Record<string, string> = {
  "": `Usage: custos backup <command> [options]

Commands:
  create           new BIP39 seed (12 or 24 words) and its encrypted recovery kit
  export           encrypted recovery kit for existing words
  verify           dry run: does this backup restore the account? (changes nothing)
  restore          restore from the words alone or from a kit
  change-password  re-encrypt a kit under a new backup password (the old file keeps its old password)
  paper            printable paper backup (words + account QR code) on standard output

Run "custos backup <command> --help" for the options of a command.

${SECRETS}`,
  create: `Usage: custos backup create --network <name> --delays <r,sp,sw,l> --out <file> [options]

Generates a new seed, derives the owner key (m/44'/60'/0'/0/0) and writes the encrypted kit.
  --words <12|24>         length of the new phrase (default 12)
  --show-words            also print the new words (write them down; they are shown once)
${CONTEXT_OPTIONS}
  --rpc-url <url>         to compute the account address when --account is absent

${SECRETS}`,
  export: `Usage: custos backup export --network <name> --delays <r,sp,sw,l> --out <file> [options]

Encrypts existing words and the recovery details into a kit.
${CONTEXT_OPTIONS}
  --rpc-url <url>         to compute the account address when --account is absent

${SECRETS}`,
  verify: `Usage: custos backup verify (--kit <file> | --words --account <0x…>) [--rpc-url <url>] [--passphrase]

Checks, without changing anything, that the backup's owner key is the account's current owner
on the connected chain. Exits 1 when it does not match.

${SECRETS}`,
  restore: `Usage: custos backup restore (--kit <file> | --words (--network <name> | --deployment <file>)) [--rpc-url <url>] [options]

From a kit: checks chain, account and owner and prints the recovery details (guardians, delays).
From the words: derives the owner and finds its accounts from the deployment's events.
  --account <0x…>         with --kit: refuse a kit for another account
  --passphrase            the seed uses a BIP39 passphrase
  --show-words            print the words of the kit

${SECRETS}`,
  "change-password": `Usage: custos backup change-password --in <file> --out <file> [--force]

Re-encrypts the kit under a new backup password with a fresh salt. The old file is not changed
and still opens with the old password: delete its copies if that password may be known.

${SECRETS}`,
  paper: `Usage: custos backup paper (--kit <file> | --words --account <0x…> --chain-id <n>) --show-words [--html]

Prints the paper backup (numbered words, account, chain) as text, or as an HTML page with a QR
code of the account address. --show-words is required because the words are printed.
  --passphrase            note on the paper that a BIP39 passphrase is also needed (never printed)

${SECRETS}`,
};

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  network: { type: "string" },
  deployment: { type: "string" },
  account: { type: "string" },
  guardian: { type: "string", multiple: true },
  threshold: { type: "string" },
  delays: { type: "string" },
  salt: { type: "string" },
  passphrase: { type: "boolean" },
  out: { type: "string" },
  in: { type: "string" },
  kit: { type: "string" },
  words: { type: "string" },
  force: { type: "boolean" },
  "show-words": { type: "boolean" },
  "rpc-url": { type: "string" },
  "chain-id": { type: "string" },
  html: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

type Options = ReturnType<typeof parse>["values"];

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new BackupCommandError((error as Error).message.split("\n")[0]);
  }
}

/** Runs `custos backup …` (argv = the arguments after "backup"). */
export async function runBackupCommand(argv: string[]): Promise<void> {
  const [command = "", ...rest] = argv;
  if (command === "" || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP[""]);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new BackupCommandError(`unknown backup command "${command}"; run "custos backup --help"`);
  // `--words` is a flag for verify/restore/paper (words come from the environment or a prompt)
  // and takes a value for create (12 or 24).
  const args = command === "create" ? rest : rest.map((a) => (a === "--words" ? "--words=" : a));
  const { values, positionals } = parse(args);
  if (values.help) {
    console.log(HELP[command]);
    return;
  }
  if (positionals.length) throw new BackupCommandError(`unexpected argument "${positionals[0]}"`);
  await run(values);
}

const COMMANDS: Record<string, (o: Options) => Promise<void>> = {
  create: async (o) => {
    const count = o.words === undefined ? 12 : Number(o.words);
    if (count !== 12 && count !== 24) throw new BackupCommandError("--words must be 12 or 24");
    const out = required(o.out, "--out");
    await assertNewFile(out, o.force);
    const mnemonic = generateMnemonic(count);
    const passphrase = await passphraseFor(o.passphrase ?? false);
    const backup = await buildBackup(o, mnemonic, passphrase);
    await writeKit(backup, out, o.force);
    console.log(
      `Recovery kit for account ${backup.context.account} on chain ${backup.context.chainId} written to ${out}.`,
    );
    console.log(`Owner (m/44'/60'/0'/0/0): ${deriveOwnerAddress(mnemonic, passphrase)}`);
    if (o["show-words"]) {
      console.log(`\nYour ${count} words (write them down in order; anyone who sees them controls the wallet):`);
      console.log(numbered(mnemonic));
    } else {
      console.log(`The words are only in the kit: print them with "custos backup paper --kit ${out} --show-words".`);
    }
  },

  export: async (o) => {
    const out = required(o.out, "--out");
    await assertNewFile(out, o.force);
    const mnemonic = parseMnemonic(await readSecret(ENV.mnemonic, "Recovery phrase (words): "));
    const backup = await buildBackup(o, mnemonic, await passphraseFor(o.passphrase ?? false));
    await writeKit(backup, out, o.force);
    console.log(
      `Recovery kit for account ${backup.context.account} on chain ${backup.context.chainId} written to ${out}.`,
    );
  },

  verify: async (o) => {
    const client = publicClient(o);
    const report = o.kit
      ? await (async () => {
          const backup = await openKitFile(o.kit!);
          return verifyBackup(client, backup, await passphraseFor(backup.hasPassphrase));
        })()
      : await verifyWords(client, {
          mnemonic: await readSecret(ENV.mnemonic, "Recovery phrase (words): "),
          passphrase: await passphraseFor(o.passphrase ?? false),
          account: address(required(o.account, "--account"), "--account"),
        });
    if (!report.ok) throw report.error;
    console.log(report.message);
  },

  restore: async (o) => {
    const client = publicClient(o);
    if (o.kit) {
      const backup = await openKitFile(o.kit);
      const expectedAccount = o.account ? address(o.account, "--account") : undefined;
      const passphrase = await passphraseFor(backup.hasPassphrase);
      const result = await restoreFromKit(client, backup, { passphrase, expectedAccount });
      console.log(`This backup restores account ${result.account} on chain ${result.chainId} (owner ${result.owner}).`);
      console.log(describeContext(backup.context));
      if (!result.configCurrent) console.log("The guardians changed since this kit was made: make a new kit.");
      if (o["show-words"]) console.log(`\n${numbered(backup.mnemonic)}`);
      return;
    }
    if (o.words === undefined) throw new BackupCommandError("give --kit <file> or --words");
    const deployment = await deploymentOf(o);
    const result = await restoreFromWords(client, {
      mnemonic: await readSecret(ENV.mnemonic, "Recovery phrase (words): "),
      passphrase: await passphraseFor(o.passphrase ?? false),
      deployment,
    });
    console.log(`Owner (m/44'/60'/0'/0/0): ${result.owner}`);
    if (result.accounts.length === 0) {
      console.log(`No account on chain ${result.chainId} is currently owned by these words.`);
      return;
    }
    for (const { account } of result.accounts) {
      console.log(`These words restore account ${account} on chain ${result.chainId}.`);
    }
  },

  "change-password": async (o) => {
    const input = required(o.in, "--in");
    const out = required(o.out, "--out");
    await assertNewFile(out, o.force);
    const text = await readTextFile(input, "recovery kit");
    const oldPassword = await readSecret(ENV.password, "Current backup password: ");
    const newPassword = await newBackupPassword(ENV.newPassword);
    const { kit } = await changeKitPassword(text, oldPassword, newPassword);
    await writeNewFile(out, kit, { force: o.force });
    console.log(`Re-encrypted kit written to ${out}.`);
    console.log(OLD_KIT_NOTICE);
  },

  paper: async (o) => {
    if (!o["show-words"]) {
      throw new BackupCommandError("the paper backup prints the words: add --show-words to confirm");
    }
    let input: { mnemonic: string; account: Address; chainId: number; hasPassphrase: boolean };
    if (o.kit) {
      const backup = await openKitFile(o.kit);
      input = { mnemonic: backup.mnemonic, ...backup.context, hasPassphrase: backup.hasPassphrase };
    } else {
      input = {
        mnemonic: await readSecret(ENV.mnemonic, "Recovery phrase (words): "),
        account: address(required(o.account, "--account"), "--account"),
        chainId: positiveInteger(required(o["chain-id"], "--chain-id"), "--chain-id"),
        hasPassphrase: o.passphrase ?? false,
      };
    }
    const paper = await renderPaperBackup(input);
    process.stdout.write(o.html ? paper.html : paper.text);
  },
};

async function buildBackup(o: Options, mnemonic: string, passphrase: string): Promise<RecoveryBackup> {
  const deployment = await deploymentOf(o);
  const guardians = (o.guardian ?? []).map(guardian);
  if (guardians.length && o.threshold === undefined)
    throw new BackupCommandError("--threshold is required with guardians");
  const delaysText = required(o.delays, "--delays").split(",");
  if (delaysText.length !== 4) throw new BackupCommandError("--delays needs four numbers: r,sp,sw,l");
  const [recoveryDelay, securityPeriod, securityWindow, lockPeriod] = delaysText.map((d) => integer(d, "--delays"));
  const recovery = {
    guardians,
    threshold: o.threshold === undefined ? 0 : integer(o.threshold, "--threshold"),
    delays: { recoveryDelay, securityPeriod, securityWindow, lockPeriod },
  };
  const account = o.account
    ? address(o.account, "--account")
    : await predictAccount(o, deployment, deriveOwnerAddress(mnemonic, passphrase), recovery);
  return {
    mnemonic,
    hasPassphrase: o.passphrase ?? false,
    context: {
      account,
      chainId: deployment.chainId,
      factory: deployment.factory,
      ...recovery,
      createdAt: new Date().toISOString(),
    },
  };
}

/** The counterfactual account address of `owner` with these guardians, asked from the deployment's factory. */
async function predictAccount(
  o: Options,
  deployment: CustosDeployment,
  owner: Address,
  recovery: Pick<RecoveryContext, "guardians" | "threshold" | "delays">,
): Promise<Address> {
  const client = publicClient(o);
  const chainId = await client.getChainId();
  if (chainId !== deployment.chainId) throw new WrongChainError(deployment.chainId, chainId);
  const config = normalizeConfig({
    guardians: recovery.guardians.map((g) => g.address),
    threshold: recovery.threshold,
    ...recovery.delays,
  });
  const salt = BigInt(o.salt === undefined ? 0 : integer(o.salt, "--salt"));
  return predictAccountAddress(client, deployment.factory, owner, config, salt);
}

async function writeKit(backup: RecoveryBackup, out: string, force?: boolean): Promise<void> {
  const password = await newBackupPassword(ENV.password);
  const kit = await encryptKit(backup, password);
  await writeNewFile(out, kit, { force });
}

/** A new backup password: from the environment, or asked twice with its strength shown. */
async function newBackupPassword(envName: string): Promise<string> {
  if (process.env[envName] !== undefined) return process.env[envName]!;
  const password = await readSecret(envName, "New backup password (12+ characters): ");
  const strength = backupPasswordStrength(password);
  console.error(`Strength ${strength.score}/4${strength.warning ? `: ${strength.warning}` : ""}`);
  if (strength.acceptable && (await readSecret(envName, "Repeat it: ")) !== password) {
    throw new BackupCommandError("the two passwords differ; nothing was written");
  }
  console.error("Forgetting the backup password means this kit can never be decrypted, by anyone.");
  return password;
}

async function openKitFile(file: string): Promise<RecoveryBackup> {
  const text = await readTextFile(file, "recovery kit");
  return decryptKit(text, await readSecret(ENV.password, "Backup password: "));
}

async function passphraseFor(needed: boolean): Promise<string> {
  if (!needed) return "";
  const passphrase = await readSecret(ENV.passphrase, "BIP39 passphrase: ");
  if (passphrase === "") throw new PassphraseRequiredError();
  return passphrase;
}

async function deploymentOf(o: Options): Promise<CustosDeployment> {
  if (o.deployment) return JSON.parse(await readTextFile(o.deployment, "deployment file")) as CustosDeployment;
  return loadDeployment(required(o.network, "--network (or --deployment)"));
}

function publicClient(o: Options): PublicClient {
  const url = o["rpc-url"] ?? process.env[ENV.rpcUrl];
  if (!url) throw new BackupCommandError(`no RPC: give --rpc-url <url> or set ${ENV.rpcUrl}`);
  return createPublicClient({ transport: http(url) });
}

function describeContext(c: RecoveryContext): string {
  const guardians = c.guardians.length
    ? c.guardians.map((g) => `  ${g.address}${g.name ? `  ${g.name}` : ""}`).join("\n")
    : "  (none)";
  const d = c.delays;
  return [
    `Guardians (${c.threshold} of ${c.guardians.length} needed for recovery):`,
    guardians,
    `Delays: recovery ${d.recoveryDelay} s, security period ${d.securityPeriod} s, ` +
      `security window ${d.securityWindow} s, lock ${d.lockPeriod} s`,
    `Factory ${c.factory}; kit written ${c.createdAt}`,
  ].join("\n");
}

const numbered = (mnemonic: string) =>
  mnemonic
    .split(" ")
    .map((w, i) => `${String(i + 1).padStart(2, " ")}. ${w}`)
    .join("\n");

function guardian(value: string): KitGuardian {
  const [addr = "", ...name] = value.split("=");
  const g: KitGuardian = { address: address(addr, "--guardian") };
  if (name.length) g.name = name.join("=");
  return g;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new BackupCommandError(`${flag} is required`);
  return value;
}

function address(value: string, flag: string): Address {
  if (!isAddress(value, { strict: false })) throw new BackupCommandError(`${flag}: "${value}" is not an address`);
  return getAddress(value);
}

function integer(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim())) throw new BackupCommandError(`${flag}: "${value}" is not a whole number`);
  return Number(value);
}

function positiveInteger(value: string, flag: string): number {
  const n = integer(value, flag);
  if (n < 1) throw new BackupCommandError(`${flag} must be at least 1`);
  return n;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runBackupCommand(process.argv.slice(2)).catch((error: unknown) => {
    const known = error instanceof BackupError || error instanceof BackupCommandError;
    const short = (error as { shortMessage?: string }).shortMessage;
    console.error(`error: ${known ? (error as Error).message : (short ?? String(error))}`);
    process.exitCode = 1;
  });
}
