import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The compiler ships with the npm package `solc`, so compilation never downloads anything.
const solcPath = require.resolve("solc/soljson.js");

const compiler = {
  version: "0.8.28",
  path: solcPath,
  settings: {
    optimizer: { enabled: true, runs: 1_000_000 },
    evmVersion: "cancun",
    viaIR: false,
  },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
    npmFilesToBuild: [
      "@account-abstraction/contracts/core/EntryPoint.sol",
      "@account-abstraction/contracts/accounts/SimpleAccountFactory.sol",
      "solady/src/accounts/ERC4337Factory.sol",
    ],
  },
  paths: {
    tests: { mocha: "test/contracts", solidity: "test/fuzz" },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // Any public network: RPC URL and deployer key come from the environment.
    custom: {
      type: "http",
      chainType: "l1",
      url: configVariable("CUSTOS_RPC_URL"),
      accounts: [configVariable("CUSTOS_DEPLOYER_KEY")],
    },
  },
});
