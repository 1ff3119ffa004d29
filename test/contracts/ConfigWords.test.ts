import { expect } from "chai";
import { network } from "hardhat";
import { makeConfig, sortAddresses } from "./helpers/config.js";
import { deployCustosContracts, randomWallet } from "./helpers/fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  return deployCustosContracts(connection);
}

describe("guardian words of a configuration", function () {
  it("createAccount reverts when a guardian word carries bits above its 160-bit address", async function () {
    const custos = await networkHelpers.loadFixture(fixture);
    const guardians = sortAddresses(Array.from({ length: 3 }, () => randomWallet(ethers).address));
    const owner = randomWallet(ethers).address;
    const data = custos.factory.interface.encodeFunctionData("createAccount", [owner, makeConfig(guardians, 2), 0n]);
    const clean = `${"0".repeat(24)}${guardians[1]!.slice(2).toLowerCase()}`;
    expect(data.split(clean)).to.have.length(2);
    const dirty = data.replace(clean, `${"0".repeat(23)}1${guardians[1]!.slice(2).toLowerCase()}`);
    const to = custos.factory.target as string;
    await expect(custos.bundler.sendTransaction({ to, data: dirty })).to.be.revert(ethers);
    await expect(custos.bundler.sendTransaction({ to, data })).to.emit(custos.factory, "AccountCreated");
  });
});
