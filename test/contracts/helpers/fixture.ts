import { Wallet, hexlify, randomBytes, type HDNodeWallet } from "ethers";
import { createPublicClient, createWalletClient, custom, defineChain, type Address } from "viem";
import type { NetworkConnection } from "hardhat/types/network";
import { DEMO_BOUNDS, type DelayBounds } from "../../../custos/deploy/constants.js";
import { deployCustos } from "../../../custos/deploy/deployCustos.js";
import type { CustosAccount, CustosFactory, EntryPoint } from "../../../types/ethers-contracts/index.js";
import { makeConfig, sortByAddress, type Delays, type GuardianConfig } from "./config.js";

export type Connection = NetworkConnection<"generic">;
export type Ethers = Connection["ethers"];
export type HardhatSigner = Awaited<ReturnType<Ethers["getSigners"]>>[number];

export interface CustosDeployment {
  connection: Connection;
  ethers: Ethers;
  entryPoint: EntryPoint;
  factory: CustosFactory;
  implementation: CustosAccount;
  chainId: bigint;
  /** A funded EOA that submits transactions and bundles (handleOps). */
  bundler: HardhatSigner;
  bounds: DelayBounds;
}

/** Deploys EntryPoint v0.8 (canonical address), the implementation and the factory through the real path. */
export async function deployCustosContracts(
  connection: Connection,
  bounds: DelayBounds = DEMO_BOUNDS,
): Promise<CustosDeployment> {
  const transport = custom(connection.provider);
  const chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
  const chain = defineChain({
    id: chainId,
    name: "hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const publicClient = createPublicClient({ chain, transport });
  const [deployer] = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
  const walletClient = createWalletClient({ account: deployer!, chain, transport });
  const deployment = await deployCustos({ publicClient, walletClient }, { network: "hardhat", bounds });
  const { ethers } = connection;
  const [, bundler] = await ethers.getSigners();
  return {
    connection,
    ethers,
    entryPoint: await ethers.getContractAt("EntryPoint", deployment.entryPoint),
    factory: await ethers.getContractAt("CustosFactory", deployment.factory),
    implementation: await ethers.getContractAt("CustosAccount", deployment.implementation),
    chainId: BigInt(chainId),
    bundler: bundler!,
    bounds,
  };
}

/** A fresh key with no ETH, connected to the network. */
export function randomWallet(ethers: Ethers): Wallet {
  return new Wallet(hexlify(randomBytes(32)), ethers.provider);
}

export type Key = Wallet | HDNodeWallet;

export interface AccountSetup {
  account: CustosAccount;
  owner: Wallet;
  /** Guardian keys, sorted by address (index i = position in config.guardians). */
  guardians: Wallet[];
  config: GuardianConfig;
}

export interface AccountOptions {
  guardians?: number;
  threshold?: number;
  delays?: Partial<Delays>;
  /** Give 100 ETH to the owner and guardians so they can send transactions (default true). */
  fundKeys?: boolean;
  /** ETH held by the account itself (default 10 ETH). */
  accountBalance?: bigint;
  salt?: bigint;
  owner?: Wallet;
  /** Explicit guardian addresses (e.g. contracts); replaces the generated EOA guardians. */
  guardianAddresses?: string[];
}

const ETHER = 10n ** 18n;

/** Creates an account through the factory with `guardians` fresh EOA guardians. */
export async function createAccount(custos: CustosDeployment, options: AccountOptions = {}): Promise<AccountSetup> {
  const { ethers, factory, bundler, connection } = custos;
  const n = options.guardians ?? 3;
  const owner = options.owner ?? randomWallet(ethers);
  const guardians = sortByAddress(Array.from({ length: n }, () => randomWallet(ethers)));
  const addresses = options.guardianAddresses ?? guardians.map((g) => g.address);
  const threshold = options.threshold ?? (addresses.length === 0 ? 0 : Math.min(2, addresses.length));
  const config = makeConfig(addresses, threshold, options.delays);
  const salt = options.salt ?? 0n;
  await (await factory.connect(bundler).createAccount(owner.address, config, salt)).wait();
  const address: string = await factory.getFunction("getAddress")(owner.address, config, salt);
  const account = await ethers.getContractAt("CustosAccount", address);
  const helpers = connection.networkHelpers;
  if (options.fundKeys ?? true) {
    for (const key of [owner, ...guardians]) await helpers.setBalance(key.address, 100n * ETHER);
  }
  await helpers.setBalance(address, options.accountBalance ?? 10n * ETHER);
  return { account, owner, guardians, config };
}

/** A deadline `seconds` after the latest block. */
export async function deadlineIn(custos: CustosDeployment, seconds = 3600): Promise<bigint> {
  return BigInt(await custos.connection.networkHelpers.time.latest()) + BigInt(seconds);
}
