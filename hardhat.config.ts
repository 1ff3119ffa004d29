import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/**
 * Public networks from the environment: CUSTOS_NETWORKS="sepolia,base" declares networks `sepolia`
 * and `base`, each with its RPC URL in CUSTOS_RPC_URL_<NAME> and its deployer key in
 * CUSTOS_DEPLOYER_KEY_<NAME> (or CUSTOS_DEPLOYER_KEY for all). Read only when the network is used.
 */
function networksFromEnv() {
  const names = (process.env.CUSTOS_NETWORKS ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  return Object.fromEntries(
    names.map((name) => {
      const suffix = name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
      const key = process.env[`CUSTOS_DEPLOYER_KEY_${suffix}`]
        ? `CUSTOS_DEPLOYER_KEY_${suffix}`
        : "CUSTOS_DEPLOYER_KEY";
      return [
        name,
        {
          type: "http" as const,
          chainType: "l1" as const,
          url: configVariable(`CUSTOS_RPC_URL_${suffix}`),
          accounts: [configVariable(key)],
        },
      ];
    }),
  );
}

// The compiler ships with the npm package `solc`, so compilation never downloads anything.
const solcPath = require.resolve("solc/soljson.js");

// Custos: optimizer 1,000 runs, no via-IR, evm "cancun". At 1,000,000 runs the account's runtime
// (with the S13/S14 validation paths) exceeds the 24,576-byte limit; 1,000 runs keeps it near 22 KB.
const compiler = {
  version: "0.8.28",
  path: solcPath,
  settings: {
    optimizer: { enabled: true, runs: 1_000 },
    evmVersion: "cancun",
    viaIR: false,
  },
};

// Gas benchmark only: Solady's account and factory built as Solady's own foundry.toml builds them
// (optimizer 1,000 runs, no via-IR, evm "paris"), with the one compiler shipped here (Solady pins 0.8.33).
const soladyCompiler = {
  ...compiler,
  settings: { optimizer: { enabled: true, runs: 1_000 }, evmVersion: "paris", viaIR: false },
};
// The benchmark's ERC-20 keeps one build whatever Custos's settings, so its rows stay comparable.
const tokenCompiler = {
  ...compiler,
  settings: { optimizer: { enabled: true, runs: 1_000_000 }, evmVersion: "cancun", viaIR: false },
};
const benchOverrides = {
  "contracts/bench/SoladyAccount.sol": soladyCompiler,
  "solady/src/accounts/ERC4337Factory.sol": soladyCompiler,
  "contracts/bench/BenchToken.sol": tokenCompiler,
};
const profile = { compilers: [compiler], overrides: benchOverrides };

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: profile,
      production: profile,
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
    ...networksFromEnv(),
  },
});
