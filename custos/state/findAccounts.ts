import { encodeEventTopics, getAddress, isAddressEqual, parseEventLogs, type Address, type PublicClient } from "viem";
import { hashConfig, type GuardianConfig } from "../config.js";
import { custosAccountAbi, custosFactoryAbi } from "../generated/abis.js";
import { logReader } from "./logs.js";
import { configFromEvent } from "./readConfig.js";

export interface FindAccountsOptions {
  /** Only accounts created by this factory count. */
  factory: Address;
  fromBlock?: bigint;
}

/** Every account the factory created since `fromBlock`. */
export async function listFactoryAccounts(client: PublicClient, options: FindAccountsOptions): Promise<Set<Address>> {
  const logs = await logReader(client).getLogs(
    { address: options.factory, topics: encodeEventTopics({ abi: custosFactoryAbi, eventName: "AccountCreated" }) },
    { fromBlock: options.fromBlock ?? 0n },
  );
  const created = parseEventLogs({ abi: custosFactoryAbi, eventName: "AccountCreated", logs });
  return new Set(created.map((log) => getAddress(log.args.account)));
}

export interface GuardedAccount {
  account: Address;
  config: GuardianConfig;
  /** The guardian's index in the configuration (what lock/approve calls need). */
  index: number;
}

/** Accounts of the factory whose CURRENT configuration lists `guardian` (the guardian view). */
export async function findGuardedAccounts(
  client: PublicClient,
  guardian: Address,
  options: FindAccountsOptions,
): Promise<GuardedAccount[]> {
  const [accounts, logs] = await Promise.all([
    listFactoryAccounts(client, options),
    logReader(client).getLogs(
      { topics: encodeEventTopics({ abi: custosAccountAbi, eventName: "ConfigApplied" }) },
      { fromBlock: options.fromBlock ?? 0n },
    ),
  ]);
  const latest = new Map<Address, GuardianConfig>();
  for (const log of parseEventLogs({ abi: custosAccountAbi, eventName: "ConfigApplied", logs })) {
    const account = getAddress(log.address);
    if (accounts.has(account)) latest.set(account, configFromEvent(log.args));
  }
  const found: GuardedAccount[] = [];
  for (const [account, config] of latest) {
    const index = config.guardians.findIndex((g) => isAddressEqual(g, guardian));
    if (index < 0) continue;
    const stored = await client.readContract({ address: account, abi: custosAccountAbi, functionName: "configHash" });
    if (stored === hashConfig(config)) found.push({ account, config, index });
  }
  return found;
}

/** Accounts of the factory whose current owner is `owner` (after creation, recovery or rotation). */
export async function findAccountsByOwner(
  client: PublicClient,
  owner: Address,
  options: FindAccountsOptions,
): Promise<Address[]> {
  const [accounts, logs] = await Promise.all([
    listFactoryAccounts(client, options),
    logReader(client).getLogs(
      {
        topics: encodeEventTopics({ abi: custosAccountAbi, eventName: "OwnerChanged", args: { newOwner: owner } }),
      },
      { fromBlock: options.fromBlock ?? 0n },
    ),
  ]);
  const changed = parseEventLogs({ abi: custosAccountAbi, eventName: "OwnerChanged", logs });
  const candidates = [...new Set(changed.map((log) => getAddress(log.address)))].filter((a) => accounts.has(a));
  const owners = await Promise.all(
    candidates.map((address) => client.readContract({ address, abi: custosAccountAbi, functionName: "owner" })),
  );
  return candidates.filter((_, i) => isAddressEqual(owners[i]!, owner));
}
