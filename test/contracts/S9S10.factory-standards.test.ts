import { expect } from "chai";
import { network } from "hardhat";
import { concat, id } from "ethers";
import { signCustosMessage } from "./helpers/approvals.js";
import { makeConfig, sortAddresses } from "./helpers/config.js";
import { createAccount, deployCustosContracts, randomWallet } from "./helpers/fixture.js";
import { handleOps, signedUserOp } from "./helpers/userOp.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  return { custos, setup };
}

describe("S9 counterfactual creation", function () {
  it("createAccount with other guardians yields a different address (front-running is harmless)", async function () {
    const { custos } = await networkHelpers.loadFixture(fixture);
    const owner = randomWallet(ethers).address;
    const mine = makeConfig(sortAddresses([randomWallet(ethers).address, randomWallet(ethers).address]), 2);
    const attacker = makeConfig(sortAddresses([randomWallet(ethers).address, randomWallet(ethers).address]), 2);
    const getAddress = custos.factory.getFunction("getAddress");
    const expected: string = await getAddress(owner, mine, 0n);
    await custos.factory.createAccount(owner, attacker, 0n);
    expect(await getAddress(owner, attacker, 0n)).to.not.equal(expected);
    expect(await ethers.provider.getCode(expected)).to.equal("0x");
    await custos.factory.createAccount(owner, mine, 0n);
    const account = await ethers.getContractAt("CustosAccount", expected);
    expect(await account.owner()).to.equal(owner);
  });

  it("createAccount twice returns the same address and initialises once", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const again = await custos.factory.createAccount.staticCall(setup.owner.address, setup.config, 0n);
    expect(again).to.equal(await setup.account.getAddress());
    await expect(custos.factory.createAccount(setup.owner.address, setup.config, 0n)).to.not.emit(
      custos.factory,
      "AccountCreated",
    );
  });

  it("getAddress matches the deployed address and commits to the salt", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const getAddress = custos.factory.getFunction("getAddress");
    expect(await getAddress(setup.owner.address, setup.config, 0n)).to.equal(await setup.account.getAddress());
    expect(await getAddress(setup.owner.address, setup.config, 1n)).to.not.equal(await setup.account.getAddress());
  });

  it("a first UserOperation with initCode deploys the account and executes", async function () {
    const { custos } = await networkHelpers.loadFixture(fixture);
    const owner = randomWallet(ethers);
    const config = makeConfig(sortAddresses([randomWallet(ethers).address]), 1);
    const sender: string = await custos.factory.getFunction("getAddress")(owner.address, config, 7n);
    await networkHelpers.setBalance(sender, 10n ** 18n);
    const initCode = concat([
      custos.factory.target as string,
      custos.factory.interface.encodeFunctionData("createAccount", [owner.address, config, 7n]),
    ]);
    const to = randomWallet(ethers).address;
    const account = await ethers.getContractAt("CustosAccount", sender);
    const data = account.interface.encodeFunctionData("execute", [to, 3n, "0x"]);
    await expect(handleOps(custos, [await signedUserOp(custos, sender, data, owner, { initCode, nonce: 0n })])).to.emit(
      custos.entryPoint,
      "AccountDeployed",
    );
    expect(await account.owner()).to.equal(owner.address);
    expect(await ethers.provider.getBalance(to)).to.equal(3n);
  });
});

describe("S10 standards: UUPS, ERC-165, receivers, ERC-1271", function () {
  async function v2() {
    const ctx = await fixture();
    const impl = await ethers.deployContract("CustosAccountV2", [
      ctx.custos.entryPoint.target,
      ctx.custos.bounds,
      ctx.custos.caps,
    ]);
    return { ...ctx, impl };
  }

  it("upgradeToAndCall by the owner switches the implementation and keeps the state", async function () {
    const { setup, impl } = await networkHelpers.loadFixture(v2);
    await setup.account.connect(setup.owner).upgradeToAndCall(impl.target, "0x");
    const upgraded = await ethers.getContractAt("CustosAccountV2", setup.account.target as string);
    expect(await upgraded.version()).to.equal(2n);
    expect(await upgraded.owner()).to.equal(setup.owner.address);
  });

  it("upgradeToAndCall through an owner UserOperation succeeds", async function () {
    const { custos, setup, impl } = await networkHelpers.loadFixture(v2);
    const data = setup.account.interface.encodeFunctionData("upgradeToAndCall", [impl.target as string, "0x"]);
    await handleOps(custos, [await signedUserOp(custos, setup.account.target as string, data, setup.owner)]);
    const upgraded = await ethers.getContractAt("CustosAccountV2", setup.account.target as string);
    expect(await upgraded.version()).to.equal(2n);
  });

  it("upgradeToAndCall by a guardian reverts", async function () {
    const { setup, impl } = await networkHelpers.loadFixture(v2);
    await expect(
      setup.account.connect(setup.guardians[0]!).upgradeToAndCall(impl.target, "0x"),
    ).to.be.revertedWithCustomError(setup.account, "Unauthorized");
  });

  it("upgradeToAndCall reverts while locked", async function () {
    const { setup, impl } = await networkHelpers.loadFixture(v2);
    await setup.account.connect(setup.guardians[0]!).lock(setup.config, 0);
    await expect(setup.account.connect(setup.owner).upgradeToAndCall(impl.target, "0x")).to.be.revertedWithCustomError(
      setup.account,
      "AccountLocked",
    );
  });

  it("supportsInterface reports ERC-165, IAccount, ERC-1271, ERC-721 and ERC-1155 receivers", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    for (const iface of ["0x01ffc9a7", "0x19822f7c", "0x1626ba7e", "0x150b7a02", "0x4e2312e0"]) {
      expect(await setup.account.supportsInterface(iface), iface).to.equal(true);
    }
    expect(await setup.account.supportsInterface("0xffffffff")).to.equal(false);
  });

  it("receives ETH, ERC-721 safe transfers and ERC-1155 single and batch transfers", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const to = setup.account.target as string;
    const sender = custos.bundler;
    const before = await ethers.provider.getBalance(to);
    await sender.sendTransaction({ to, value: 5n });
    expect(await ethers.provider.getBalance(to)).to.equal(before + 5n);
    const nft = await ethers.deployContract("TestERC721");
    await nft.mint(sender.address, 1n);
    await nft.connect(sender)["safeTransferFrom(address,address,uint256)"](sender.address, to, 1n);
    expect(await nft.ownerOf(1n)).to.equal(to);
    const multi = await ethers.deployContract("TestERC1155");
    await multi.mint(sender.address, 1n, 10n);
    await multi.mint(sender.address, 2n, 10n);
    await multi.connect(sender).safeTransferFrom(sender.address, to, 1n, 4n, "0x");
    await multi.connect(sender).safeBatchTransferFrom(sender.address, to, [1n, 2n], [1n, 2n], "0x");
    expect(await multi.balanceOf(to, 1n)).to.equal(5n);
    expect(await multi.balanceOf(to, 2n)).to.equal(2n);
  });

  it("the owner moves ERC-20 tokens with execute and executeBatch, directly and through a UserOperation", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    const address = setup.account.target as string;
    const token = await ethers.deployContract("TestERC20");
    await token.mint(address, 100n);
    const [alice, bob] = [randomWallet(ethers).address, randomWallet(ethers).address];
    const transfer = (to: string, amount: bigint) => token.interface.encodeFunctionData("transfer", [to, amount]);
    await setup.account.connect(setup.owner).execute(token.target, 0n, transfer(alice, 10n));
    const batch = setup.account.interface.encodeFunctionData("executeBatch", [
      [
        { target: token.target, value: 0n, data: transfer(alice, 5n) },
        { target: token.target, value: 0n, data: transfer(bob, 20n) },
      ],
    ]);
    await handleOps(custos, [await signedUserOp(custos, address, batch, setup.owner)]);
    expect(await token.balanceOf(alice)).to.equal(15n);
    expect(await token.balanceOf(bob)).to.equal(20n);
    expect(await token.balanceOf(address)).to.equal(65n);
  });

  it("isValidSignature accepts the owner's signature of getMessageHash(hash) only", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const hash = id("login");
    expect(
      await setup.account.isValidSignature(hash, await signCustosMessage(setup.owner, setup.account, hash)),
    ).to.equal("0x1626ba7e");
    const raw = setup.owner.signingKey.sign(hash).serialized;
    expect(await setup.account.isValidSignature(hash, raw)).to.equal("0xffffffff");
    const other = await signCustosMessage(randomWallet(ethers), setup.account, hash);
    expect(await setup.account.isValidSignature(hash, other)).to.equal("0xffffffff");
  });

  it("the implementation cannot be initialised", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await expect(
      custos.implementation.initialize(randomWallet(ethers).address, setup.config),
    ).to.be.revertedWithCustomError(custos.implementation, "AlreadyInitialized");
  });

  it("initialize cannot be called twice on an account", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    await expect(setup.account.initialize(randomWallet(ethers).address, setup.config)).to.be.revertedWithCustomError(
      setup.account,
      "AlreadyInitialized",
    );
  });

  it("execute by a stranger reverts with Unauthorized", async function () {
    const { custos, setup } = await networkHelpers.loadFixture(fixture);
    await expect(setup.account.connect(custos.bundler).execute(custos.bundler.address, 1n, "0x"))
      .to.be.revertedWithCustomError(setup.account, "Unauthorized")
      .withArgs(custos.bundler.address);
  });
});
