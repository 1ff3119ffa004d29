import { concat, encodeFunctionData, pad, parseAbi, type Address, type Hex } from "viem";
import { ENTRY_POINT_ADDRESS } from "../../custos/deploy/constants.js";
import { custosFactoryAbi } from "../../custos/generated/abis.js";
import type { GuardianConfig } from "../../custos/config.js";
import { deployArtifact, type BenchChain } from "./chain.js";
import { signerFor } from "./keys.js";
import { deployPublished } from "./builds.js";
import type { UserOpSigner } from "./userOp.js";

/** One counterfactual account of a benchmarked implementation. */
export interface BenchAccount {
  address: Address;
  /** factory ++ factoryData for the first UserOperation. */
  initCode: Hex;
  /** Signs a v0.8 userOpHash the way this implementation validates it. */
  sign: UserOpSigner;
}

/** A benchmarked implementation: creates counterfactual accounts for a label. */
export interface AccountKind {
  create(label: string): Promise<BenchAccount>;
}

/** `execute(address,uint256,bytes)` — the same selector on all three implementations. */
export const executeAbi = parseAbi(["function execute(address target, uint256 value, bytes data)"]);

export const simpleFactoryAbi = parseAbi([
  "function createAccount(address owner, uint256 salt) returns (address)",
  "function getAddress(address owner, uint256 salt) view returns (address)",
]);

/** Where the benchmarked contracts compiled here live in artifacts/. */
export const CUSTOS_ACCOUNT = { artifact: "contracts/account/CustosAccount.sol", name: "CustosAccount" };
export const SOLADY_ACCOUNT = { artifact: "contracts/bench/SoladyAccount.sol", name: "SoladyAccount" };
export const SOLADY_FACTORY = { artifact: "solady/src/accounts/ERC4337Factory.sol", name: "ERC4337Factory" };

const soladyFactoryAbi = parseAbi([
  "function createAccount(bytes32 ownSalt) payable returns (address)",
  "function getAddress(bytes32 ownSalt) view returns (address)",
]);

/** Deploys the published SimpleAccountFactory v0.8, which deploys its SimpleAccount implementation. */
export function deploySimpleAccountFactory(bench: BenchChain): Promise<Address> {
  return deployPublished(bench, "SimpleAccountFactory", [ENTRY_POINT_ADDRESS]);
}

/** SimpleAccount v0.8 (eth-infinitism), published build: ECDSA over the raw userOpHash. */
export async function simpleAccountKind(bench: BenchChain): Promise<AccountKind> {
  const factory = await deploySimpleAccountFactory(bench);
  return {
    async create(label) {
      const owner = signerFor(`simple:${label}`);
      const address = await bench.publicClient.readContract({
        address: factory,
        abi: simpleFactoryAbi,
        functionName: "getAddress",
        args: [owner.address, 0n],
      });
      const data = encodeFunctionData({
        abi: simpleFactoryAbi,
        functionName: "createAccount",
        args: [owner.address, 0n],
      });
      return { address, initCode: concat([factory, data]), sign: (hash) => owner.sign({ hash }) };
    },
  };
}

/**
 * Solady ERC4337 (concrete subclass in contracts/bench): its `_validateSignature` checks the owner's
 * signature of `toEthSignedMessageHash(userOpHash)`, i.e. a personal_sign of the 32-byte hash.
 */
export async function soladyKind(bench: BenchChain): Promise<AccountKind> {
  const implementation = await deployArtifact(bench, SOLADY_ACCOUNT.artifact, SOLADY_ACCOUNT.name);
  const factory = await deployArtifact(bench, SOLADY_FACTORY.artifact, SOLADY_FACTORY.name, [implementation]);
  return {
    async create(label) {
      const owner = signerFor(`solady:${label}`);
      // The factory initialises the owner from the salt's top 20 bytes.
      const salt = pad(owner.address, { dir: "right", size: 32 });
      const address = await bench.publicClient.readContract({
        address: factory,
        abi: soladyFactoryAbi,
        functionName: "getAddress",
        args: [salt],
      });
      const data = encodeFunctionData({ abi: soladyFactoryAbi, functionName: "createAccount", args: [salt] });
      return {
        address,
        initCode: concat([factory, data]),
        sign: (hash) => owner.signMessage({ message: { raw: hash } }),
      };
    },
  };
}

/** A Custos account plus what its recovery flows need. */
export interface CustosBenchAccount extends BenchAccount {
  config: GuardianConfig;
  ownerLabel: string;
  createData: Hex;
}

/** Custos: ECDSA over the raw userOpHash; created with `config` (3 guardians) by the factory. */
export function custosKind(bench: BenchChain, factory: Address, config: GuardianConfig) {
  return {
    async create(label: string): Promise<CustosBenchAccount> {
      const ownerLabel = `custos:${label}`;
      const owner = signerFor(ownerLabel);
      const address = await bench.publicClient.readContract({
        address: factory,
        abi: custosFactoryAbi,
        functionName: "getAddress",
        args: [owner.address, config, 0n],
      });
      const createData = encodeFunctionData({
        abi: custosFactoryAbi,
        functionName: "createAccount",
        args: [owner.address, config, 0n],
      });
      return {
        address,
        initCode: concat([factory, createData]),
        sign: (hash) => owner.sign({ hash }),
        config,
        ownerLabel,
        createData,
      };
    },
  };
}
