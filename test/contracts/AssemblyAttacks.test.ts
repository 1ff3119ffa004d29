import { expect } from "chai";
import { network } from "hardhat";
import {
  AbiCoder,
  ZeroAddress,
  concat,
  dataSlice,
  getBytes,
  keccak256,
  toBeHex,
  zeroPadValue,
  type Signer,
  type TransactionResponse,
} from "ethers";
import { custosDomain, nonceAndEpoch, signApprovalRaw, signEntries } from "./helpers/approvals.js";
import { encodeBlob, OWNER_INDEX, SECP256K1_N } from "./helpers/blob.js";
import { hashConfig, makeConfig, sortAddresses, type GuardianConfig } from "./helpers/config.js";
import {
  bareProxy,
  createAccount,
  deadlineIn,
  deployCustosContracts,
  randomWallet,
  type AccountSetup,
  type CustosDeployment,
} from "./helpers/fixture.js";
import { approvalBlob, cancelBlob, startRecovery } from "./helpers/recovery.js";
import type { CustosAccount } from "../../types/ethers-contracts/index.js";
import { buildUserOp, handleOps, signedUserOp, type PackedUserOperation } from "./helpers/userOp.js";

// Attacks on the hand-written assembly of the account, the signature parser, the recovery and the factory:
// each test is one attack (who acts, with what keys, in what order) and asserts the exact error or the
// unchanged state. Raw calldata is built with the ABI encoder and then edited word by word.

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const HALF_N = SECP256K1_N / 2n;
const CONFIG_TUPLE =
  "tuple(address[] guardians,uint256 threshold,uint256 recoveryDelay,uint256 securityPeriod,uint256 securityWindow,uint256 lockPeriod)";

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

// ------------------------------------------------------------------ raw calldata

interface Calldata {
  selector: string;
  /** The 32-byte words after the selector, as 64 hex digits each. */
  words: string[];
}

function split(data: string): Calldata {
  const body = data.slice(10);
  expect(body.length % 64).to.equal(0);
  const words: string[] = [];
  for (let i = 0; i < body.length; i += 64) words.push(body.slice(i, i + 64));
  return { selector: data.slice(0, 10), words };
}

function join({ selector, words }: Calldata): string {
  return `${selector}${words.join("")}`;
}

function word(value: bigint): string {
  return value.toString(16).padStart(64, "0");
}

function valueOf(w: string): bigint {
  return BigInt(`0x${w}`);
}

/** The word of `address` (lower case, left-padded), and the same with a bit set above its 160 bits. */
function addressWords(address: string): { clean: string; dirty: string } {
  const hex = address.slice(2).toLowerCase();
  return { clean: `${"0".repeat(24)}${hex}`, dirty: `${"0".repeat(23)}1${hex}` };
}

/** `data` with the only word equal to `address` given a dirty upper bit. */
function dirtyAddressWord(data: string, address: string): string {
  const { clean, dirty } = addressWords(address);
  const parts = split(data);
  const at = parts.words.flatMap((w, i) => (w === clean ? [i] : []));
  expect(at, `one word holds ${address}`).to.have.length(1);
  parts.words[at[0]!] = dirty;
  return join(parts);
}

/** keccak256(abi.encode(config)) with guardian `address`'s word dirtied: what the contract hashes for such calldata. */
function dirtyConfigHash(config: GuardianConfig, address: string): string {
  const encoded = AbiCoder.defaultAbiCoder().encode([CONFIG_TUPLE], [config]);
  const { clean, dirty } = addressWords(address);
  return keccak256(encoded.replace(clean, dirty));
}

/** Sends raw calldata from `from` (a plain transaction; the ABI decoder of the callee applies). */
function sendRaw(from: Signer, to: string, data: string): Promise<TransactionResponse> {
  return from.sendTransaction({ to, data });
}

// ------------------------------------------------------------------ signatures with a chosen s

/** An x coordinate that lies on the curve: the r of a real signature. */
function someR(): string {
  return randomWallet(ethers).signingKey.sign(keccak256("0x01")).r;
}

function rsv(r: string, s: bigint, v: number): string {
  return concat([r, zeroPadValue(toBeHex(s), 32), toBeHex(v, 1)]);
}

/** Whoever `(r, n/2, 27)` recovers to for `hash`: the signer of a signature whose s is exactly n/2. */
function signerOfHalfN(hash: string, r: string): string {
  return ethers.recoverAddress(hash, { r, s: zeroPadValue(toBeHex(HALF_N), 32), v: 27 });
}

/** What the ecrecover precompile itself returns for `(hash, v, r, s)`: proves a twin signature is genuine. */
async function precompileRecover(hash: string, v: number, r: string, s: bigint): Promise<string> {
  const data = concat([hash, zeroPadValue(toBeHex(v), 32), r, zeroPadValue(toBeHex(s), 32)]);
  const out = await ethers.provider.call({ to: "0x0000000000000000000000000000000000000001", data });
  return ethers.getAddress(dataSlice(out, 12, 32));
}

/** The EntryPoint as a signer, so the account can be called exactly as the EntryPoint calls it. */
async function asEntryPoint(custos: CustosDeployment) {
  const address = await custos.entryPoint.getAddress();
  await networkHelpers.impersonateAccount(address);
  await networkHelpers.setBalance(address, 10n ** 18n);
  return ethers.getSigner(address);
}

/** The UserOperationEvent's `success` of a handleOps receipt. */
function opSucceeded(
  custos: CustosDeployment,
  receipt: { logs: readonly { topics: readonly string[]; data: string }[] },
) {
  for (const log of receipt.logs) {
    const parsed = custos.entryPoint.interface.parseLog(log);
    if (parsed?.name === "UserOperationEvent") return parsed.args.success as boolean;
  }
  throw new Error("no UserOperationEvent");
}

function executeCall(setup: AccountSetup, to: string, value = 1n, data = "0x") {
  return setup.account.interface.encodeFunctionData("execute", [to, value, data]);
}

// ================================================================== owner fast path of validateUserOp

describe("assembly attacks: the owner fast path of validateUserOp, through the real EntryPoint", function () {
  /** handleOps calldata of one op, split in words, with the word index of the op's struct head. */
  function handleOpsWords(custos: CustosDeployment, op: PackedUserOperation, beneficiary: string) {
    const parts = split(custos.entryPoint.interface.encodeFunctionData("handleOps", [[op], beneficiary]));
    const array = Number(valueOf(parts.words[0]!)) / 32; // ops' length word
    const struct = array + 1 + Number(valueOf(parts.words[array + 1]!)) / 32;
    return { parts, struct };
  }

  it("a bundler that relocates the op's signature in handleOps calldata (canonical bytes wiped) changes nothing: the account gets the EntryPoint's canonical re-encoding", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const to = randomWallet(ethers).address;
    const sender = await setup.account.getAddress();
    const op = await signedUserOp(custos, sender, executeCall(setup, to, 3n), setup.owner);
    const { parts, struct } = handleOpsWords(custos, op, custos.bundler.address);
    const sigAt = struct + Number(valueOf(parts.words[struct + 8]!)) / 32; // the signature's length word
    const signature = parts.words.slice(sigAt, sigAt + 4);
    // Wipe the canonical copy, append junk then the real signature, and point the field at it.
    for (let i = sigAt + 1; i < sigAt + 4; i++) parts.words[i] = "f".repeat(64);
    const moved = parts.words.length + 1;
    parts.words.push("d".repeat(64), ...signature);
    parts.words[struct + 8] = word(BigInt((moved - struct) * 32));
    const receipt = await (await sendRaw(custos.bundler, custos.entryPoint.target as string, join(parts))).wait();
    expect(opSucceeded(custos, receipt!)).to.equal(true);
    expect(await ethers.provider.getBalance(to)).to.equal(3n);
  });

  it("a bundler that points the op's signature field at its callData makes the account read callData as the signature: AA24, nothing executed", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const to = randomWallet(ethers).address;
    const op = await signedUserOp(custos, await setup.account.getAddress(), executeCall(setup, to), setup.owner);
    const { parts, struct } = handleOpsWords(custos, op, custos.bundler.address);
    parts.words[struct + 8] = parts.words[struct + 3]!;
    await expect(sendRaw(custos.bundler, custos.entryPoint.target as string, join(parts)))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
    expect(await ethers.provider.getBalance(to)).to.equal(0n);
  });

  for (const [label, callData] of [
    ["empty", "0x"],
    ["3 bytes of execute's selector", "0xb61d27"],
  ] as const) {
    it(`a thief holding the owner key cannot dodge the freeze with ${label} callData: RecoveryPending while recovering, not due while locked`, async function () {
      const { custos, setup } = await networkHelpers.loadFixture(fixture);
      const sender = await setup.account.getAddress();
      await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
      await expect(handleOps(custos, [await signedUserOp(custos, sender, callData, setup.owner)]))
        .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
        .withArgs(0, "AA22 expired or not due");
      await startRecovery(custos, setup);
      await expect(handleOps(custos, [await signedUserOp(custos, sender, callData, setup.owner)]))
        .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
        .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("RecoveryPending"));
    });
  }

  it("callData of 3 bytes goes the general owner path: a stranger's signature is AA24; the owner's validates and its execution fails", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const sender = await setup.account.getAddress();
    await expect(handleOps(custos, [await signedUserOp(custos, sender, "0xb61d27", randomWallet(ethers))]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
    const receipt = await (
      await handleOps(custos, [await signedUserOp(custos, sender, "0xb61d27", setup.owner)])
    ).wait();
    expect(opSucceeded(custos, receipt!)).to.equal(false);
  });

  it("execute's selector with truncated arguments: the fast path still demands the owner (AA24 for a stranger), and the owner's op fails in execution, moving no ETH", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const sender = await setup.account.getAddress();
    const to = randomWallet(ethers).address;
    const full = executeCall(setup, to, 5n);
    // Selector, target and value only: the bytes argument's offset and length are missing.
    const truncated = dataSlice(full, 0, 4 + 64);
    await expect(handleOps(custos, [await signedUserOp(custos, sender, truncated, randomWallet(ethers))]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOp")
      .withArgs(0, "AA24 signature error");
    const before = await ethers.provider.getBalance(sender);
    const receipt = await (
      await handleOps(custos, [await signedUserOp(custos, sender, truncated, setup.owner)])
    ).wait();
    expect(opSucceeded(custos, receipt!)).to.equal(false);
    expect(await ethers.provider.getBalance(to)).to.equal(0n);
    expect(await ethers.provider.getBalance(sender)).to.be.below(before); // gas only
    // While a recovery is pending the truncated execute is refused like any other.
    await startRecovery(custos, setup);
    await expect(handleOps(custos, [await signedUserOp(custos, sender, truncated, setup.owner)]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", setup.account.interface.encodeErrorResult("RecoveryPending"));
  });

  it("the fast path refuses the owner's genuine r and s with v = 0 or 1 (the precompile returns nothing, never address zero)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const op = await signedUserOp(
      custos,
      await setup.account.getAddress(),
      executeCall(setup, randomWallet(ethers).address),
      setup.owner,
    );
    const hash = await custos.entryPoint.getUserOpHash(op);
    const entryPoint = await asEntryPoint(custos);
    const v = getBytes(op.signature)[64]!;
    for (const bad of [v - 27, v - 26]) {
      const signature = concat([dataSlice(op.signature, 0, 64), toBeHex(bad, 1)]);
      expect(
        await setup.account.connect(entryPoint).validateUserOp.staticCall({ ...op, signature }, hash, 0n),
      ).to.equal(1n, `v = ${bad}`);
    }
    expect(await setup.account.connect(entryPoint).validateUserOp.staticCall(op, hash, 0n)).to.equal(0n);
  });

  it("startRecovery and cancelRecovery selectors with truncated arguments fail validation (AA23, no data) and leave no mark in flight", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const sender = await setup.account.getAddress();
    const iface = setup.account.interface;
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    const start = iface.encodeFunctionData("startRecovery", [newOwner.address, deadline, setup.config, blob]);
    // Selector plus newOwner and deadline (the two words validation reads itself), then nothing; and
    // selector plus half a word.
    for (const truncated of [dataSlice(start, 0, 4 + 64), dataSlice(start, 0, 4 + 16)]) {
      const op = await signedUserOp(custos, sender, truncated, newOwner);
      await expect(handleOps(custos, [op]))
        .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
        .withArgs(0, "AA23 reverted", "0x");
    }
    await expect(handleOps(custos, [await signedUserOp(custos, sender, start, newOwner)])).to.emit(
      setup.account,
      "RecoveryStarted",
    );
    const cancel = iface.encodeFunctionData("cancelRecovery", [
      deadline,
      setup.config,
      await cancelBlob(setup, deadline, [0], true),
    ]);
    const truncatedCancel = await signedUserOp(custos, sender, dataSlice(cancel, 0, 4 + 32), setup.owner);
    await expect(handleOps(custos, [truncatedCancel]))
      .to.be.revertedWithCustomError(custos.entryPoint, "FailedOpWithRevert")
      .withArgs(0, "AA23 reverted", "0x");
    await expect(handleOps(custos, [await signedUserOp(custos, sender, cancel, setup.owner)])).to.emit(
      setup.account,
      "RecoveryCancelled",
    );
  });

  it("validateUserOp called directly by the owner or a guardian reverts for every selector (the general path checks the caller first)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const sender = await setup.account.getAddress();
    const newOwner = randomWallet(ethers);
    const deadline = await deadlineIn(custos);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, [0, 1]);
    const iface = setup.account.interface;
    const calls = [
      iface.encodeFunctionData("startRecovery", [newOwner.address, deadline, setup.config, blob]),
      iface.encodeFunctionData("executeRecovery"),
      iface.encodeFunctionData("cancelRecovery", [deadline, setup.config, "0x"]),
      iface.encodeFunctionData("rotateOwner", [newOwner.address, deadline, setup.config, "0x"]),
      "0x",
      "0xb61d27",
    ];
    for (const callData of calls) {
      const op = await signedUserOp(custos, sender, callData, newOwner);
      const hash = await custos.entryPoint.getUserOpHash(op);
      for (const caller of [setup.owner, setup.guardians[0]!]) {
        await expect(setup.account.connect(caller).validateUserOp(op, hash, 10n ** 18n)).to.be.revertedWith(
          "account: not from EntryPoint",
        );
      }
    }
    // Nothing was marked in flight: the start validates later through the EntryPoint.
    const op = await signedUserOp(custos, sender, calls[0]!, newOwner);
    await expect(handleOps(custos, [op])).to.emit(setup.account, "RecoveryStarted");
  });
});

// ================================================================== s exactly n/2, on every ECDSA path

describe("assembly attacks: the low-s bound is n/2 inclusive on every ECDSA path, proven with a genuine high-s twin", function () {
  // (r, n/2, 27) and its malleable twin (r, n/2 + 1, 28) recover the same key: the twin may only be
  // refused for its s, never for a wrong signer (a twin with the same v would recover someone else).

  /**
   * An operation calling `callData` on a bare proxy whose owner is the key that (r, n/2, 27) signs the
   * userOpHash with; `validate` runs the account's validation as the EntryPoint does.
   */
  async function halfNOwnerOp(callData: (account: CustosAccount) => string) {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const account = await bareProxy(custos);
    const op = await buildUserOp(custos, account.target as string, callData(account));
    const hash = await custos.entryPoint.getUserOpHash(op);
    const r = someR();
    const owner = signerOfHalfN(hash, r);
    await (await account.initialize(owner, setup.config)).wait();
    const entryPoint = await asEntryPoint(custos);
    const validate = (signature: string) =>
      account.connect(entryPoint).validateUserOp.staticCall({ ...op, signature }, hash, 0n);
    return { hash, r, owner, validate };
  }

  it("the owner fast path (execute) accepts s = n/2 and refuses its twin with s = n/2 + 1", async function () {
    const setup = (await networkHelpers.loadFixture(fixture)).setup;
    const { hash, r, owner, validate } = await halfNOwnerOp(() => executeCall(setup, randomWallet(ethers).address));
    expect(await precompileRecover(hash, 28, r, HALF_N + 1n)).to.equal(owner);
    expect(await validate(rsv(r, HALF_N, 27))).to.equal(0n);
    expect(await validate(rsv(r, HALF_N + 1n, 28))).to.equal(1n);
  });

  it("the general owner path (a rotateOwner op) accepts s = n/2 and refuses its twin", async function () {
    const setup = (await networkHelpers.loadFixture(fixture)).setup;
    const { r, validate } = await halfNOwnerOp((account) =>
      account.interface.encodeFunctionData("rotateOwner", [randomWallet(ethers).address, 0n, setup.config, "0x"]),
    );
    expect(await validate(rsv(r, HALF_N, 27))).to.equal(0n);
    expect(await validate(rsv(r, HALF_N + 1n, 28))).to.equal(1n);
  });

  it("ERC-1271 isValidSignature accepts s = n/2 and refuses its twin", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const account = await bareProxy(custos);
    const message = keccak256("0x1234");
    const digest = await account.getMessageHash(message);
    const r = someR();
    await (await account.initialize(signerOfHalfN(digest, r), setup.config)).wait();
    expect(await account.isValidSignature(message, rsv(r, HALF_N, 27))).to.equal("0x1626ba7e");
    expect(await account.isValidSignature(message, rsv(r, HALF_N + 1n, 28))).to.equal("0xffffffff");
  });

  it("a guardian blob entry with s = n/2 counts; its twin reverts InvalidSignature(guardian)", async function () {
    const harness = await ethers.deployContract("GuardianSignaturesHarness");
    const digest = keccak256("0xabcd");
    const r = someR();
    const guardian = signerOfHalfN(digest, r);
    expect(await precompileRecover(digest, 28, r, HALF_N + 1n)).to.equal(guardian);
    const blob = (s: bigint, v: number) => encodeBlob([{ index: 0, signature: rsv(r, s, v) }]);
    expect(await harness.verify(digest, [guardian], ZeroAddress, blob(HALF_N, 27), 0n, false)).to.equal(1n);
    await expect(harness.verify(digest, [guardian], ZeroAddress, blob(HALF_N + 1n, 28), 0n, false))
      .to.be.revertedWithCustomError(harness, "InvalidSignature")
      .withArgs(guardian);
  });
});

// ================================================================== execute: executorChecks and the call

describe("assembly attacks: execute's caller, freeze and lock checks (executorChecks) and its call", function () {
  it("the caller check comes first: a guardian during a lock, and a stranger or the pending new owner during a recovery, get Unauthorized(caller)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const to = randomWallet(ethers).address;
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const guardian = setup.guardians[1]!;
    await expect(setup.account.connect(guardian).execute(to, 1n, "0x"))
      .to.be.revertedWithCustomError(setup.account, "Unauthorized")
      .withArgs(guardian.address);
    const { newOwner } = await startRecovery(custos, setup);
    await networkHelpers.setBalance(newOwner.address, 10n ** 18n);
    for (const caller of [newOwner, custos.bundler]) {
      await expect(setup.account.connect(caller).execute(to, 1n, "0x"))
        .to.be.revertedWithCustomError(setup.account, "Unauthorized")
        .withArgs(caller.address);
    }
    expect(await ethers.provider.getBalance(to)).to.equal(0n);
  });

  it("the account calling its own execute (the owner's executeBatch of one call to execute) gets Unauthorized(account)", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const self = await setup.account.getAddress();
    const to = randomWallet(ethers).address;
    const inner = executeCall(setup, to, 1n);
    await expect(setup.account.connect(setup.owner).executeBatch([{ target: self, value: 0n, data: inner }]))
      .to.be.revertedWithCustomError(setup.account, "Unauthorized")
      .withArgs(self);
    expect(await ethers.provider.getBalance(to)).to.equal(0n);
  });

  it("the EntryPoint's own call to execute still runs the freeze checks: AccountLocked(lockedUntil) under a lock, RecoveryPending (before the lock) during a recovery", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const entryPoint = await asEntryPoint(custos);
    const to = randomWallet(ethers).address;
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const { lockedUntil } = await setup.account.accountState();
    await expect(setup.account.connect(entryPoint).execute(to, 1n, "0x"))
      .to.be.revertedWithCustomError(setup.account, "AccountLocked")
      .withArgs(lockedUntil);
    await startRecovery(custos, setup);
    expect((await setup.account.accountState()).lockedUntil).to.equal(lockedUntil); // still locked
    for (const caller of [entryPoint, setup.owner]) {
      await expect(setup.account.connect(caller).execute(to, 1n, "0x")).to.be.revertedWithCustomError(
        setup.account,
        "RecoveryPending",
      );
    }
    expect(await ethers.provider.getBalance(to)).to.equal(0n);
  });

  it("execute bubbles the target's revert data byte for byte", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const token = await ethers.deployContract("TestERC20");
    const self = await setup.account.getAddress();
    const transfer = token.interface.encodeFunctionData("transfer", [randomWallet(ethers).address, 1n]);
    await expect(setup.account.connect(setup.owner).execute(token.target, 0n, transfer))
      .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
      .withArgs(self, 0n, 1n);
  });

  it("execute with its bytes argument placed non-canonically (after junk, the canonical copy wiped) calls the target with exactly the decoded bytes", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const token = await ethers.deployContract("TestERC20");
    const self = await setup.account.getAddress();
    await token.mint(self, 10n);
    const to = randomWallet(ethers).address;
    const transfer = token.interface.encodeFunctionData("transfer", [to, 7n]);
    const parts = split(executeCall(setup, token.target as string, 0n, transfer));
    const at = Number(valueOf(parts.words[2]!)) / 32; // the bytes argument's length word
    const body = parts.words.slice(at, at + 4); // length 68 and three words
    for (let i = at + 1; i < at + 4; i++) parts.words[i] = "f".repeat(64);
    const moved = parts.words.length + 1;
    parts.words.push("d".repeat(64), ...body);
    parts.words[2] = word(BigInt(moved * 32));
    await (await sendRaw(setup.owner, self, join(parts))).wait();
    expect(await token.balanceOf(to)).to.equal(7n);
    expect(await token.balanceOf(self)).to.equal(3n);
  });
});

// ================================================================== the guardian signature blob parser

async function blobFixture() {
  const ctx = await fixture();
  const newOwner = randomWallet(ethers);
  const deadline = await deadlineIn(ctx.custos, 36_000);
  const entries = await signEntries(
    ctx.setup.guardians.map((signer, index) => ({ index, signer })),
    ctx.setup.account,
    "Recovery",
    newOwner.address,
    deadline,
  );
  return { ...ctx, newOwner, deadline, entries };
}

describe("assembly attacks: the guardian signature blob parser", function () {
  it("a blob whose declared length ends inside an entry reverts MalformedSignatures, even with the entry's real bytes following it in calldata", async function () {
    const { custos, setup, newOwner, deadline, entries } = await networkHelpers.loadFixture(blobFixture);
    const { account, config } = setup;
    const data = account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      deadline,
      config,
      encodeBlob([entries[0]!, entries[1]!]),
    ]);
    // 138 bytes: two 69-byte entries. Shorten only the length word; the bytes stay where they were.
    for (const [length, offset] of [
      [137n, 69n], // the second body's last byte (v) lies just past the blob
      [71n, 69n], // inside the second header
      [68n, 0n], // inside the first body
      [3n, 0n], // inside the first header
    ] as const) {
      const parts = split(data);
      parts.words[Number(valueOf(parts.words[3]!)) / 32] = word(length);
      await expect(sendRaw(custos.bundler, account.target as string, join(parts)))
        .to.be.revertedWithCustomError(account, "MalformedSignatures")
        .withArgs(offset);
    }
    await expect(sendRaw(custos.bundler, account.target as string, data)).to.emit(account, "RecoveryStarted");
  });

  it("a signatures argument aliasing the configuration is parsed as a blob like any other and reverts: never read as approvals", async function () {
    const { custos, setup, newOwner, deadline, entries } = await networkHelpers.loadFixture(blobFixture);
    const { account, config } = setup;
    const data = account.interface.encodeFunctionData("startRecovery", [
      newOwner.address,
      deadline,
      config,
      encodeBlob([entries[0]!, entries[1]!]),
    ]);
    const configAt = valueOf(split(data).words[2]!);
    // At the configuration's head: 0xc0 bytes of threshold and delays; the first header reads
    // index 0, kind 0, length 0.
    const atHead = split(data);
    atHead.words[3] = word(configAt);
    await expect(sendRaw(custos.bundler, account.target as string, join(atHead)))
      .to.be.revertedWithCustomError(account, "InvalidSignature")
      .withArgs(config.guardians[0]!);
    // At the guardian array: its length (3) as the blob's length, three zero bytes as the blob.
    const atArray = split(data);
    atArray.words[3] = word(configAt + 0xc0n);
    await expect(sendRaw(custos.bundler, account.target as string, join(atArray)))
      .to.be.revertedWithCustomError(account, "MalformedSignatures")
      .withArgs(0n);
    expect((await account.accountState()).recovering).to.equal(false);
  });

  it("index 254 (the bit that carries 'contracts may be called') and index 16 are unknown signers where contracts are allowed", async function () {
    const { setup, newOwner, deadline, entries } = await networkHelpers.loadFixture(blobFixture);
    const { account, config } = setup;
    for (const index of [254, 16]) {
      for (const kind of [0, 1]) {
        const blob = encodeBlob([entries[0]!, { index, kind, signature: entries[1]!.signature }]);
        await expect(account.startRecovery(newOwner.address, deadline, config, blob))
          .to.be.revertedWithCustomError(account, "UnknownSigner")
          .withArgs(index);
        await expect(account.submitRecoveryApprovals(newOwner.address, deadline, config, blob))
          .to.be.revertedWithCustomError(account, "UnknownSigner")
          .withArgs(index);
      }
    }
  });

  it("a thief holding the owner key cannot count itself as a rotation approver at index 255, nor relay its own recovery approval", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { account, config, owner } = setup;
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    // Rotation needs 2 of 3: guardian 0 plus the owner's own entry.
    const rotation = await approvalBlob(setup, "Rotation", newOwner, deadline, [0], true);
    await expect(account.connect(owner).rotateOwner(newOwner, deadline, config, rotation))
      .to.be.revertedWithCustomError(account, "UnknownSigner")
      .withArgs(OWNER_INDEX);
    const recovery = await approvalBlob(setup, "Recovery", newOwner, deadline, [0], true);
    await expect(account.submitRecoveryApprovals(newOwner, deadline, config, recovery))
      .to.be.revertedWithCustomError(account, "UnknownSigner")
      .withArgs(OWNER_INDEX);
    expect(await account.owner()).to.equal(owner.address);
  });

  it("in a cancel the owner's entry (255) must come last and once: first is SignersNotSorted(1), twice is AlreadyApproved(255)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { account, config, owner, guardians } = setup;
    await startRecovery(custos, setup);
    const deadline = await deadlineIn(custos);
    const { newOwner } = await account.pendingRecovery();
    const [mine, g0] = await signEntries(
      [
        { index: OWNER_INDEX, signer: owner },
        { index: 0, signer: guardians[0]! },
      ],
      account,
      "CancelRecovery",
      newOwner,
      deadline,
    );
    await expect(account.cancelRecovery(deadline, config, encodeBlob([mine!, g0!])))
      .to.be.revertedWithCustomError(account, "SignersNotSorted")
      .withArgs(1n);
    await expect(account.cancelRecovery(deadline, config, encodeBlob([g0!, mine!, mine!])))
      .to.be.revertedWithCustomError(account, "AlreadyApproved")
      .withArgs(OWNER_INDEX);
    expect((await account.accountState()).recovering).to.equal(true);
    await expect(account.cancelRecovery(deadline, config, encodeBlob([g0!, mine!]))).to.emit(
      account,
      "RecoveryCancelled",
    );
  });
});

// ================================================================== configuration words read from calldata

describe("assembly attacks: configuration words read straight from calldata (ConfigHash, loops, factory)", function () {
  it("a guardian word with dirty upper bits is another configuration: lock, approveRecovery, rotateOwner, startRecovery and cancelRecovery revert ConfigMismatch(stored, hash of the dirty words)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { account, config, owner, guardians } = setup;
    const target = account.target as string;
    const stored = hashConfig(config);
    const guardian = guardians[1]!;
    const supplied = dirtyConfigHash(config, guardian.address);
    const newOwner = randomWallet(ethers).address;
    const deadline = await deadlineIn(custos);
    const iface = account.interface;
    const startBlob = await approvalBlob(setup, "Recovery", newOwner, deadline, [0, 1]);
    const rotationBlob = await approvalBlob(setup, "Rotation", newOwner, deadline, [0, 1]);
    const attempts: [typeof owner, string][] = [
      [guardian, iface.encodeFunctionData("lock", [config, 1n])],
      [guardian, iface.encodeFunctionData("approveRecovery", [newOwner, deadline, config, 1n])],
      [owner, iface.encodeFunctionData("rotateOwner", [newOwner, deadline, config, rotationBlob])],
      [owner, iface.encodeFunctionData("startRecovery", [newOwner, deadline, config, startBlob])],
    ];
    for (const [from, data] of attempts) {
      await expect(sendRaw(from, target, dirtyAddressWord(data, guardian.address)))
        .to.be.revertedWithCustomError(account, "ConfigMismatch")
        .withArgs(stored, supplied);
    }
    await startRecovery(custos, setup);
    const cancel = iface.encodeFunctionData("cancelRecovery", [
      deadline,
      config,
      await cancelBlob(setup, deadline, [0, 1], false),
    ]);
    await expect(sendRaw(owner, target, dirtyAddressWord(cancel, guardian.address)))
      .to.be.revertedWithCustomError(account, "ConfigMismatch")
      .withArgs(stored, supplied);
    const state = await account.accountState();
    expect([state.owner_, state.lockedUntil, state.recovering]).to.deep.equal([owner.address, 0n, true]);
  });

  it("requestConfigChange with a dirty guardian word in the next configuration reverts without data (the validation loop's address check)", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const { account, config, owner } = setup;
    const added = randomWallet(ethers).address;
    const next = makeConfig(sortAddresses([...config.guardians, added]), 2);
    const data = account.interface.encodeFunctionData("requestConfigChange", [config, next]);
    await expect(sendRaw(owner, account.target as string, dirtyAddressWord(data, added))).to.be.revertedWithoutReason(
      ethers,
    );
    await expect(sendRaw(owner, account.target as string, data)).to.emit(account, "ConfigChangeRequested");
  });

  it("a newOwner word with dirty upper bits over a guardian's address reverts without data in startRecovery and rotateOwner: the ABI decoder refuses it before the masked guardian comparison", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { account, config, owner, guardians } = setup;
    const deadline = await deadlineIn(custos);
    const iface = account.interface;
    const as = guardians[2]!.address;
    const blob = await approvalBlob(setup, "Recovery", as, deadline, [0, 1]);
    const start = iface.encodeFunctionData("startRecovery", [as, deadline, config, blob]);
    const rotate = iface.encodeFunctionData("rotateOwner", [as, deadline, config, "0x"]);
    for (const data of [start, rotate]) {
      const parts = split(data);
      parts.words[0] = addressWords(as).dirty;
      await expect(sendRaw(owner, account.target as string, join(parts))).to.be.revertedWithoutReason(ethers);
    }
    // Clean, the same guardian is refused by name.
    await expect(sendRaw(owner, account.target as string, start))
      .to.be.revertedWithCustomError(account, "InvalidNewOwner")
      .withArgs(as);
  });

  it("a guardian array relocated after junk (non-canonical offset, canonical words wiped) hashes as the configuration it decodes to: the guardian locks", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const { account, config, guardians } = setup;
    const parts = split(account.interface.encodeFunctionData("lock", [config, 2n]));
    const struct = Number(valueOf(parts.words[0]!)) / 32;
    const at = struct + Number(valueOf(parts.words[struct]!)) / 32; // the array's length word
    const array = parts.words.slice(at, at + 4);
    for (let i = at + 1; i < at + 4; i++) parts.words[i] = "f".repeat(64);
    const moved = parts.words.length + 1;
    parts.words.push("d".repeat(64), ...array);
    parts.words[struct] = word(BigInt((moved - struct) * 32));
    expect(await account.hashConfig.staticCall(config)).to.equal(hashConfig(config));
    await expect(sendRaw(guardians[2]!, account.target as string, join(parts)))
      .to.emit(account, "Locked")
      .withArgs(guardians[2]!.address, (await networkHelpers.time.latest()) + 1 + Number(config.lockPeriod));
  });

  it("createAccount with the guardian array aliasing the configuration's head creates exactly the account of the configuration it decodes to", async function () {
    const { custos } = await networkHelpers.loadFixture(fixture);
    const { factory } = custos;
    const owner = randomWallet(ethers).address;
    const written = makeConfig(sortAddresses([randomWallet(ethers).address]), 1);
    const parts = split(factory.interface.encodeFunctionData("createAccount", [owner, written, 5n]));
    const struct = Number(valueOf(parts.words[1]!)) / 32;
    // The array's offset points at the threshold word: length = threshold (1), guardians[0] = recoveryDelay.
    parts.words[struct] = word(0x20n);
    parts.words.push("e".repeat(64)); // and trailing junk, which the decoder ignores
    const decoded = makeConfig([toBeHex(written.recoveryDelay, 20)], 1);
    const expected = await factory.getFunction("getAddress")(owner, decoded, 5n);
    const receipt = await (await sendRaw(custos.bundler, factory.target as string, join(parts))).wait();
    const account = await ethers.getContractAt("CustosAccount", expected);
    expect(receipt!.logs.map((log) => factory.interface.parseLog(log)?.args.toArray()).find(Boolean)).to.deep.equal([
      expected,
      owner,
      hashConfig(decoded),
      5n,
    ]);
    expect(await account.configHash()).to.equal(hashConfig(decoded));
    expect(await account.owner()).to.equal(owner);
    const applied = receipt!.logs
      .map((log) => account.interface.parseLog(log))
      .find((p) => p?.name === "ConfigApplied");
    expect(applied!.args.guardians).to.deep.equal(decoded.guardians.map((g) => ethers.getAddress(g)));
    // The configuration the calldata seemed to carry is another address, still free.
    expect(await factory.getFunction("getAddress")(owner, written, 5n)).to.not.equal(expected);
  });

  it("createAccount with 17 guardians bubbles TooManyGuardians(17, 16) through the factory's call; an array length running past calldata reverts", async function () {
    const { custos } = await networkHelpers.loadFixture(fixture);
    const { factory, implementation } = custos;
    const owner = randomWallet(ethers).address;
    const many = sortAddresses(Array.from({ length: 17 }, () => randomWallet(ethers).address));
    await expect(factory.createAccount(owner, makeConfig(many, 2), 0n))
      .to.be.revertedWithCustomError(implementation, "TooManyGuardians")
      .withArgs(17n, 16n);
    const parts = split(
      factory.interface.encodeFunctionData("createAccount", [owner, makeConfig(many.slice(0, 2), 1), 0n]),
    );
    const struct = Number(valueOf(parts.words[1]!)) / 32;
    const lengthAt = struct + Number(valueOf(parts.words[struct]!)) / 32;
    for (const length of [3n, 1n << 32n]) {
      parts.words[lengthAt] = word(length);
      await expect(sendRaw(custos.bundler, factory.target as string, join(parts))).to.be.revertedWithoutReason(ethers);
    }
  });
});

// ================================================================== executeRecovery

describe("assembly attacks: executeRecovery's words, logs and lock lift", function () {
  it("executed twice: the second reverts NoRecoveryPending; the first wrote exactly the new owner, a bumped epoch and nonce, and logged RecoveryExecuted (no data) and OwnerChanged (reason 1)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { account, owner, config } = setup;
    const { newOwner } = await startRecovery(custos, setup);
    await networkHelpers.time.increase(config.recoveryDelay);
    const receipt = await (await account.connect(custos.bundler).executeRecovery()).wait();
    const topic = (name: "RecoveryExecuted" | "OwnerChanged") => account.interface.getEvent(name).topicHash;
    const logs = receipt!.logs.map((log) => ({ topics: [...log.topics], data: log.data }));
    const padded = (address: string) => zeroPadValue(address.toLowerCase(), 32);
    expect(logs).to.deep.equal([
      {
        topics: [topic("RecoveryExecuted"), zeroPadValue("0x00", 32), padded(owner.address), padded(newOwner.address)],
        data: "0x",
      },
      {
        topics: [topic("OwnerChanged"), padded(owner.address), padded(newOwner.address)],
        data: zeroPadValue("0x01", 32),
      },
    ]);
    const state = await account.accountState();
    expect([...state]).to.deep.equal([newOwner.address, 0n, false, 1n, 1n]);
    expect([...(await account.pendingRecovery())]).to.deep.equal([ZeroAddress, 0n, 0n]);
    await expect(account.connect(custos.bundler).executeRecovery()).to.be.revertedWithCustomError(
      account,
      "NoRecoveryPending",
    );
    expect([...(await account.accountState())]).to.deep.equal([...state]);
  });

  it("a paid start's time survives the execution: the next account-paid start is due at lastPaidStart + recoveryDelay", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { account, config } = setup;
    const newOwner = randomWallet(ethers);
    const until = await deadlineIn(custos, 36_000);
    const blob = await approvalBlob(setup, "Recovery", newOwner.address, until, [0, 1]);
    const data = account.interface.encodeFunctionData("startRecovery", [newOwner.address, until, config, blob]);
    const op = await signedUserOp(custos, await account.getAddress(), data, newOwner);
    const startedAt = BigInt(await networkHelpers.time.latest()) + 7n;
    await networkHelpers.time.setNextBlockTimestamp(startedAt);
    await handleOps(custos, [op]);
    await networkHelpers.time.increase(config.recoveryDelay);
    await account.connect(custos.bundler).executeRecovery();
    const next = randomWallet(ethers).address;
    const probeBlob = await approvalBlob(setup, "Recovery", next, until, [1, 2]);
    expect(await account.checkStartRecovery(next, until, config, probeBlob)).to.equal(startedAt + config.recoveryDelay);
  });

  it("a lock that already ended is not lifted again (no Unlocked, the locker's record keeps its end); a running one ends at the execution's time", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const { account, config, guardians } = setup;
    const locker = guardians[2]!;
    // Lock ended before the execution (lockPeriod < recoveryDelay).
    await account.connect(locker).lock(config, 2);
    const { lockedUntil } = await account.accountState();
    await startRecovery(custos, setup);
    await networkHelpers.time.increase(config.recoveryDelay);
    await expect(account.executeRecovery()).to.not.emit(account, "Unlocked");
    expect((await account.lockRecord(locker.address)).lastLockEnd).to.equal(lockedUntil);

    // A lock still running at the execution: lifted by the account, its record ends now.
    await networkHelpers.time.increase(config.securityPeriod + config.securityWindow);
    await startRecovery(custos, setup);
    await networkHelpers.time.increase(config.recoveryDelay - 10n);
    await account.connect(locker).lock(config, 2);
    await networkHelpers.time.increase(10n);
    const tx = await account.executeRecovery();
    await expect(tx)
      .to.emit(account, "Unlocked")
      .withArgs(await account.getAddress());
    const at = (await ethers.provider.getBlock((await tx.wait())!.blockNumber))!.timestamp;
    expect((await account.lockRecord(locker.address)).lastLockEnd).to.equal(BigInt(at));
    expect((await account.accountState()).lockedUntil).to.equal(0n);
  });
});

// ================================================================== holes found

describe("holes found by these attacks, fixed: each test states what must hold", function () {
  // HOLE-LOCK-GAS (S4 vs S13). A lock is meant to stop a thief holding the owner key (device stolen) from
  // moving funds. But rotateOwner, requestConfigChange and confirmConfigChange operations are valid at once
  // under a lock (lockApplies = false in _validateUserOpBySelector) and, being owner-signed, are not held to
  // the S13 gas caps. The thief signs such an operation (execution may simply fail) with a huge
  // preVerificationGas and fee, submits it as its own bundler with itself as beneficiary, and the
  // EntryPoint pays the thief the account's ETH as gas. One operation took 7.6 of 10 ETH; the thief may
  // repeat with the next nonces until the lock ends. Expected: under a lock, an owner operation costs the
  // account at most the S13 cap (and repeating it is bounded too).
  it("HOLE-LOCK-GAS: while a guardian lock holds, a thief holding the owner key makes the account pay at most the S13 cap for an operation", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const sender = await setup.account.getAddress();
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    const thief = setup.owner;
    const holdings = async () =>
      (await ethers.provider.getBalance(sender)) + (await custos.entryPoint.balanceOf(sender));
    const before = await holdings();
    const callData = setup.account.interface.encodeFunctionData("rotateOwner", [
      randomWallet(ethers).address,
      await deadlineIn(custos),
      setup.config,
      "0x",
    ]);
    const fee = 1_500_000_000_000n; // 1,500 gwei per gas
    const op = await signedUserOp(custos, sender, callData, thief, {
      verificationGasLimit: 100_000n,
      callGasLimit: 100_000n,
      preVerificationGas: 5_000_000n,
      maxPriorityFeePerGas: fee,
      maxFeePerGas: fee,
    });
    const block = await ethers.provider.getBlock("latest");
    const caps = custos.caps;
    const baseFee = block!.baseFeePerGas!;
    const price =
      baseFee + caps.maxPriorityFeePerGas < caps.maxFeePerGas ? baseFee + caps.maxPriorityFeePerGas : caps.maxFeePerGas;
    const cap =
      (BigInt(caps.maxVerificationGasLimit) +
        BigInt(caps.maxCallGasLimit) +
        BigInt(caps.maxPreVerificationGas) +
        BigInt(caps.maxCallGasLimit) / 10n) *
      price;
    // Either the EntryPoint refuses the operation, or the account pays no more than the cap.
    try {
      await (await handleOps(custos, [op], thief, thief.address)).wait();
    } catch {
      // refused: nothing paid
    }
    const paid = before - (await holdings());
    expect(
      paid <= cap,
      `the locked account paid ${ethers.formatEther(paid)} ETH (cap ${ethers.formatEther(cap)})`,
    ).to.equal(true);
  });

  // HOLE-CANCEL-STALE (S3). cancelRecovery, called by the EntryPoint, skips every check ("validation ran
  // checkCancelRecovery ... nothing between can end the recovery"). That is false: executeRecovery and
  // startRecovery are callable by anyone, so an operation of ANOTHER sender placed earlier in the same
  // bundle can execute the validated recovery and start a new one before the cancel executes. The cancel,
  // signed by the previous owner with a quorum over the FIRST recovery's digest, then cancels the SECOND
  // recovery, whose quorum nobody gave, and the account pays for it. (With only executeRecovery in the
  // earlier operation, the cancel bumps the nonce and logs RecoveryCancelled(nonce, 0x0) after
  // RecoveryExecuted.) Expected: the cancel's execution fails (e.g. StaleValidation when the in-flight mark
  // that validation set is gone, as startRecovery's _requireStartInFlight does) and the second recovery stays.
  it("HOLE-CANCEL-STALE: a cancel operation validated for one recovery cannot cancel the next one started earlier in the same bundle", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const victim = await setup.account.getAddress();
    const iface = setup.account.interface;
    const attacker = await createAccount(custos, { guardians: 0, salt: 7n });
    await startRecovery(custos, setup);
    // The owner and guardian 0 sign a cancel of the first recovery (a valid quorum); the op waits.
    const deadline = await deadlineIn(custos, 36_000);
    const cancelData = iface.encodeFunctionData("cancelRecovery", [
      deadline,
      setup.config,
      await cancelBlob(setup, deadline, [0], true),
    ]);
    const cancel = await signedUserOp(custos, victim, cancelData, setup.owner);
    await networkHelpers.time.increase(setup.config.recoveryDelay);
    // Guardians 1 and 2 approve a second recovery, at the nonce and epoch after the first executes.
    const second = randomWallet(ethers).address;
    const { nonce, epoch } = await nonceAndEpoch(setup.account);
    const domain = custosDomain(custos.chainId, victim);
    const message = { newOwner: second, nonce: nonce + 1n, epoch: epoch + 1n, deadline };
    const entries = await Promise.all(
      [1, 2].map(async (index) => ({
        index,
        signature: await signApprovalRaw(setup.guardians[index]!, "Recovery", domain, message),
      })),
    );
    // Another sender's operation, first in the bundle: execute the first recovery, start the second.
    const batch = iface.encodeFunctionData("executeBatch", [
      [
        { target: victim, value: 0n, data: iface.encodeFunctionData("executeRecovery") },
        {
          target: victim,
          value: 0n,
          data: iface.encodeFunctionData("startRecovery", [second, deadline, setup.config, encodeBlob(entries)]),
        },
      ],
    ]);
    const other = await signedUserOp(custos, await attacker.account.getAddress(), batch, attacker.owner, {
      callGasLimit: 1_000_000n,
    });
    await (await handleOps(custos, [other, cancel])).wait();
    const pending = await setup.account.pendingRecovery();
    expect(pending.newOwner).to.equal(second);
    expect((await setup.account.accountState()).recovering).to.equal(true);
  });
});
