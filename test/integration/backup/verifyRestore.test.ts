import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, pad, parseEther, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { normalizeConfig } from "../../../custos/config.js";
import { custosAccountAbi, custosFactoryAbi } from "../../../custos/generated/abis.js";
import {
  AccountNotFoundError,
  OwnerMismatchError,
  PassphraseRequiredError,
  WrongAccountError,
  WrongChainError,
  deriveOwnerAddress,
  deriveOwnerPrivateKey,
  generateMnemonic,
  restoreFromKit,
  restoreFromWords,
  verifyBackup,
  verifyWords,
  type RecoveryBackup,
} from "../../../custos/backup/index.js";
import { startLocalChain, type LocalChain } from "../../helpers/localChain.js";

const PORT = 8641;
const DELAYS = { recoveryDelay: 120, securityPeriod: 30, securityWindow: 30, lockPeriod: 60 };
const CONFIG = normalizeConfig({ guardians: [], threshold: 0, ...DELAYS });

describe("B4/B5 verify and restore against a local chain", () => {
  let chain: LocalChain;
  const words = generateMnemonic();
  const owner = deriveOwnerAddress(words);
  let account: Address;
  let secondAccount: Address;

  async function createAccount(forOwner: Address, salt: bigint): Promise<Address> {
    const { request, result } = await chain.client.simulateContract({
      account: chain.funder.account,
      address: chain.deployment.factory,
      abi: custosFactoryAbi,
      functionName: "createAccount",
      args: [forOwner, CONFIG, salt],
    });
    const hash = await chain.funder.writeContract(request);
    await chain.client.waitForTransactionReceipt({ hash });
    return result;
  }

  const backupFor = (mnemonic: string, overrides: Partial<RecoveryBackup["context"]> = {}): RecoveryBackup => ({
    mnemonic,
    hasPassphrase: false,
    context: {
      account,
      chainId: 31337,
      factory: chain.deployment.factory,
      guardians: [],
      threshold: 0,
      delays: DELAYS,
      createdAt: new Date().toISOString(),
      ...overrides,
    },
  });

  before(async () => {
    chain = await startLocalChain(PORT);
    account = await createAccount(owner, 0n);
    secondAccount = await createAccount(owner, 1n);
  });

  after(async () => {
    await chain?.stop();
  });

  it("verify: the words restore the account on this chain", async () => {
    const report = await verifyWords(chain.client, { mnemonic: words, account });
    assert.equal(report.ok, true);
    assert.equal(report.message, `This backup restores account ${account} on chain 31337.`);
  });

  it("verify: a kit whose guardian configuration is the account's current one", async () => {
    const report = await verifyBackup(chain.client, backupFor(words));
    assert.ok(report.ok && report.configCurrent === true);
  });

  it("verify: other words → OwnerMismatchError naming both owners", async () => {
    const other = generateMnemonic();
    const report = await verifyWords(chain.client, { mnemonic: other, account });
    assert.equal(report.ok, false);
    assert.ok(!report.ok && report.error instanceof OwnerMismatchError);
    assert.match(report.message, new RegExp(`owned by ${owner}.*give ${deriveOwnerAddress(other)}`));
  });

  it("verify: an address without an account → AccountNotFoundError", async () => {
    const report = await verifyWords(chain.client, {
      mnemonic: words,
      account: "0x000000000000000000000000000000000000dEaD",
    });
    assert.ok(!report.ok && report.error instanceof AccountNotFoundError);
  });

  it("verify: a kit for another chain → WrongChainError", async () => {
    const report = await verifyBackup(chain.client, backupFor(words, { chainId: 1 }));
    assert.ok(!report.ok && report.error instanceof WrongChainError);
    assert.equal(report.message, "This recovery kit is for chain 1, but you are connected to chain 31337.");
  });

  it("verify: a kit with outdated guardian details still matches but says so", async () => {
    const report = await verifyBackup(chain.client, backupFor(words, { delays: { ...DELAYS, lockPeriod: 61 } }));
    assert.ok(report.ok && report.configCurrent === false);
    assert.match(report.message, /guardian list is out of date/);
  });

  it("verify: a kit that uses a BIP39 passphrase needs it", async () => {
    await assert.rejects(
      verifyBackup(chain.client, { ...backupFor(words), hasPassphrase: true }),
      PassphraseRequiredError,
    );
  });

  it("restore from words: finds both accounts of the owner from the factory's events", async () => {
    const result = await restoreFromWords(chain.client, { mnemonic: words, deployment: chain.deployment });
    assert.equal(result.owner, owner);
    assert.deepEqual(result.accounts.map((a) => a.account).sort(), [account, secondAccount].sort());
    assert.ok(result.accounts.every((a) => a.createdWithThisOwner));
  });

  it("restore from words: scans the chain in windows when the RPC caps log ranges", async () => {
    const result = await restoreFromWords(chain.client, {
      mnemonic: words,
      deployment: chain.deployment,
      maxBlockRange: 1n,
    });
    assert.equal(result.accounts.length, 2);
  });

  it("restore from words: ignores a look-alike contract that emits OwnerChanged and claims the owner", async () => {
    // Hand-assembled EVM code: the constructor emits OwnerChanged(0, owner, 0); every call returns `owner`.
    const ownerWord = owner.slice(2).toLowerCase();
    const runtime = `73${ownerWord}60005260206000f3`;
    const topic0 = keccak256(toHex("OwnerChanged(address,address,uint8)")).slice(2);
    const init = `0x73${ownerWord}60007f${topic0}60206000a3601d604960003960` + `1d6000f3${runtime}`;
    assert.equal((init.length - 2) / 2 - 29, 0x49, "runtime offset");
    const hash = await chain.funder.deployContract({ abi: [], bytecode: init as Hex, chain: chain.funder.chain });
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    const spoof = receipt.contractAddress!;
    assert.equal(receipt.logs[0]?.topics[2], pad(owner.toLowerCase() as Hex), "the look-alike event names the owner");
    const claimed = await chain.client.readContract({
      address: spoof,
      abi: custosAccountAbi,
      functionName: "owner",
    });
    assert.equal(claimed, owner);

    const result = await restoreFromWords(chain.client, { mnemonic: words, deployment: chain.deployment });
    assert.ok(!result.accounts.some((a) => a.account === spoof));
    assert.equal(result.accounts.length, 2);
  });

  it("restore from words: words that own nothing find nothing", async () => {
    const result = await restoreFromWords(chain.client, {
      mnemonic: generateMnemonic(),
      deployment: chain.deployment,
    });
    assert.deepEqual(result.accounts, []);
  });

  it("restore from words: a deployment of another chain → WrongChainError", async () => {
    await assert.rejects(
      restoreFromWords(chain.client, { mnemonic: words, deployment: { ...chain.deployment, chainId: 10 } }),
      WrongChainError,
    );
  });

  it("restore from kit: checks the account the user expects", async () => {
    const result = await restoreFromKit(chain.client, backupFor(words), { expectedAccount: account });
    assert.equal(result.account, account);
    await assert.rejects(
      restoreFromKit(chain.client, backupFor(words), { expectedAccount: secondAccount }),
      WrongAccountError,
    );
  });

  it("after an owner rotation the old words no longer restore the account and the new words do", async () => {
    const newWords = generateMnemonic();
    const newOwner = deriveOwnerAddress(newWords);
    const ownerKey = privateKeyToAccount(deriveOwnerPrivateKey(words));
    await chain.client.request({
      method: "hardhat_setBalance" as "eth_chainId",
      params: [ownerKey.address, `0x${parseEther("1").toString(16)}`] as unknown as undefined,
    });
    const hash = await chain.funder.writeContract({
      account: ownerKey,
      address: secondAccount,
      abi: custosAccountAbi,
      functionName: "rotateOwner",
      args: [newOwner, 0n, CONFIG, "0x"],
      chain: chain.funder.chain,
    });
    await chain.client.waitForTransactionReceipt({ hash });

    const oldResult = await restoreFromWords(chain.client, { mnemonic: words, deployment: chain.deployment });
    assert.deepEqual(
      oldResult.accounts.map((a) => a.account),
      [account],
    );
    const newResult = await restoreFromWords(chain.client, { mnemonic: newWords, deployment: chain.deployment });
    assert.deepEqual(newResult.accounts, [{ account: secondAccount, createdWithThisOwner: false }]);
    const report = await verifyWords(chain.client, { mnemonic: words, account: secondAccount });
    assert.ok(!report.ok && report.error instanceof OwnerMismatchError);
  });
});
