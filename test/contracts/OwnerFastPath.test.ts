import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress, concat, dataSlice, getBytes, hexlify, toBeHex, zeroPadValue } from "ethers";
import { bareProxy, createAccount, deployCustosContracts, randomWallet, type AccountSetup } from "./helpers/fixture.js";
import type { CustosDeployment } from "./helpers/fixture.js";
import { startRecovery } from "./helpers/recovery.js";
import { buildUserOp, signUserOp, type PackedUserOperation } from "./helpers/userOp.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const MISSING_FUNDS = 12_345n;

async function deployed() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

/** The EntryPoint as a signer, so validateUserOp can be called directly and its result read. */
async function asEntryPoint(custos: CustosDeployment) {
  const address = await custos.entryPoint.getAddress();
  await networkHelpers.impersonateAccount(address);
  await networkHelpers.setBalance(address, 10n ** 18n);
  return ethers.getSigner(address);
}

function executeCall(setup: AccountSetup) {
  return setup.account.interface.encodeFunctionData("execute", [randomWallet(ethers).address, 1n, "0x"]);
}

function executeBatchCall(setup: AccountSetup) {
  return setup.account.interface.encodeFunctionData("executeBatch", [
    [{ target: randomWallet(ethers).address, value: 1n, data: "0x" }],
  ]);
}

async function validationData(custos: CustosDeployment, setup: AccountSetup, op: PackedUserOperation) {
  const entryPoint = await asEntryPoint(custos);
  const hash = await custos.entryPoint.getUserOpHash(op);
  return setup.account.connect(entryPoint).validateUserOp.staticCall(op, hash, MISSING_FUNDS);
}

/** An operation of the account calling `callData`, signed by its owner. */
async function ownerOp(custos: CustosDeployment, setup: AccountSetup, callData: string) {
  const unsigned = await buildUserOp(custos, await setup.account.getAddress(), callData);
  return signUserOp(custos.entryPoint, unsigned, setup.owner);
}

/** The same signature with s replaced by n - s and v flipped: it recovers the same key, with high s. */
function highS(signature: string): string {
  const bytes = getBytes(signature);
  const s = BigInt(hexlify(bytes.slice(32, 64)));
  const v = bytes[64]! === 27 ? 28 : 27;
  return concat([dataSlice(signature, 0, 32), zeroPadValue(toBeHex(SECP256K1_N - s), 32), toBeHex(v)]);
}

describe("owner UserOperations: the execute/executeBatch validation path", function () {
  for (const [name, call] of [
    ["execute", executeCall],
    ["executeBatch", executeBatchCall],
  ] as const) {
    it(`an ${name} operation signed by the owner validates to 0 and pays the missing funds to the EntryPoint`, async function () {
      const { custos, setup } = await networkHelpers.loadFixture(deployed);
      const op = await ownerOp(custos, setup, call(setup));
      expect(await validationData(custos, setup, op)).to.equal(0n);
      const entryPoint = await asEntryPoint(custos);
      const hash = await custos.entryPoint.getUserOpHash(op);
      await expect(setup.account.connect(entryPoint).validateUserOp(op, hash, MISSING_FUNDS)).to.changeEtherBalances(
        ethers,
        [setup.account, custos.entryPoint],
        [-MISSING_FUNDS, MISSING_FUNDS],
      );
    });

    it(`an ${name} operation fails validation (1) when signed by another key, with high s, or not 65 bytes long`, async function () {
      const { custos, setup } = await networkHelpers.loadFixture(deployed);
      const unsigned = await buildUserOp(custos, await setup.account.getAddress(), call(setup));
      const signed = await signUserOp(custos.entryPoint, unsigned, setup.owner);
      const stranger = await signUserOp(custos.entryPoint, unsigned, randomWallet(ethers));
      const badV = concat([dataSlice(signed.signature, 0, 64), "0x1d"]);
      for (const signature of [
        stranger.signature,
        highS(signed.signature),
        dataSlice(signed.signature, 0, 64),
        concat([signed.signature, "0x00"]),
        badV,
        "0x",
      ]) {
        expect(await validationData(custos, setup, { ...unsigned, signature })).to.equal(1n, signature);
      }
    });
  }

  it("an owner operation under a lock is valid only after the lock (validAfter = lockedUntil)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(deployed);
    await (await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0)).wait();
    const [, lockedUntil] = await setup.account.accountState();
    const op = await ownerOp(custos, setup, executeCall(setup));
    expect(await validationData(custos, setup, op)).to.equal(lockedUntil << 208n);
  });

  it("an owner operation reverts validation with RecoveryPending while a recovery is pending", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(deployed);
    await startRecovery(custos, setup);
    const op = await ownerOp(custos, setup, executeBatchCall(setup));
    await expect(validationData(custos, setup, op)).to.be.revertedWithCustomError(setup.account, "RecoveryPending");
  });

  it("an account never initialised (owner zero) accepts no signature, even one that recovers no address", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(deployed);
    const account = await bareProxy(custos);
    const address = await account.getAddress();
    expect(await account.owner()).to.equal(ZeroAddress);
    const unsigned = await buildUserOp(custos, address, executeCall(setup));
    const signed = await signUserOp(custos.entryPoint, unsigned, setup.owner);
    // v = 29: the precompile returns nothing, which must not read as "signed by address zero".
    const noSigner = concat([dataSlice(signed.signature, 0, 64), "0x1d"]);
    const entryPoint = await asEntryPoint(custos);
    const hash = await custos.entryPoint.getUserOpHash(unsigned);
    for (const signature of [noSigner, signed.signature]) {
      expect(
        await account.connect(entryPoint).validateUserOp.staticCall({ ...unsigned, signature }, hash, 0n),
      ).to.equal(1n);
    }
  });

  it("a signature whose s is exactly n/2 counts as low s (the bound is inclusive, as OpenZeppelin's)", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(deployed);
    // The owner is whoever (r, n/2, 27) recovers to for this userOpHash: a proxy made outside the factory
    // has its address before its owner, so the hash is known first and the account initialised after.
    const account = await bareProxy(custos);
    const address = await account.getAddress();
    const unsigned = await buildUserOp(custos, address, executeCall(setup));
    const hash = await custos.entryPoint.getUserOpHash(unsigned);
    const r = dataSlice((await signUserOp(custos.entryPoint, unsigned, setup.owner)).signature, 0, 32);
    const half = SECP256K1_N / 2n;
    const owner = ethers.recoverAddress(hash, { r, s: zeroPadValue(toBeHex(half), 32), v: 27 });
    await (await account.initialize(owner, setup.config)).wait();
    const entryPoint = await asEntryPoint(custos);
    const at = (s: bigint) => ({ ...unsigned, signature: concat([r, zeroPadValue(toBeHex(s), 32), "0x1b"]) });
    expect(await account.connect(entryPoint).validateUserOp.staticCall(at(half), hash, 0n)).to.equal(0n);
    expect(await account.connect(entryPoint).validateUserOp.staticCall(at(half + 1n), hash, 0n)).to.equal(1n);
  });

  it("the owner's direct execute works from the second lockedUntil on (the lock has ended)", async function () {
    const { setup } = await networkHelpers.loadFixture(deployed);
    await (await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0)).wait();
    const [, lockedUntil] = await setup.account.accountState();
    const recipient = randomWallet(ethers).address;
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil - 1n);
    await expect(setup.account.connect(setup.owner).execute(recipient, 1n, "0x"))
      .to.be.revertedWithCustomError(setup.account, "AccountLocked")
      .withArgs(lockedUntil);
    await networkHelpers.time.setNextBlockTimestamp(lockedUntil);
    await expect(setup.account.connect(setup.owner).execute(recipient, 1n, "0x")).to.changeEtherBalance(
      ethers,
      recipient,
      1n,
    );
  });

  it("validateUserOp from anyone but the EntryPoint reverts, whatever the selector", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(deployed);
    const op = await ownerOp(custos, setup, executeCall(setup));
    const hash = await custos.entryPoint.getUserOpHash(op);
    await expect(setup.account.connect(setup.owner).validateUserOp(op, hash, 0n)).to.be.revertedWith(
      "account: not from EntryPoint",
    );
  });
});
