import { getAbiItem, type Address, type PublicClient } from "viem";
import { hashConfig, normalizeConfig, type GuardianConfig } from "../config.js";
import { AccountStateError } from "../errors.js";
import { custosAccountAbi } from "../generated/abis.js";
import { readAccountEvents } from "./events.js";

export const configAppliedEvent = getAbiItem({ abi: custosAccountAbi, name: "ConfigApplied" });

export interface ConfigEventArgs {
  guardians?: readonly Address[];
  threshold?: bigint;
  recoveryDelay?: bigint;
  securityPeriod?: bigint;
  securityWindow?: bigint;
  lockPeriod?: bigint;
}

/** The configuration carried by a ConfigApplied / ConfigChangeRequested event. */
export function configFromEvent(args: ConfigEventArgs): GuardianConfig {
  return normalizeConfig({
    guardians: args.guardians ?? [],
    threshold: args.threshold ?? 0n,
    recoveryDelay: args.recoveryDelay ?? 0n,
    securityPeriod: args.securityPeriod ?? 0n,
    securityWindow: args.securityWindow ?? 0n,
    lockPeriod: args.lockPeriod ?? 0n,
  });
}

/**
 * The account's current guardian configuration: the last ConfigApplied event, checked against the
 * hash the account stores (only the hash lives on-chain). The events come from the same incremental
 * read as the account's state, so asking again costs only the blocks since the last read.
 */
export async function readCurrentConfig(
  client: PublicClient,
  account: Address,
  { fromBlock = 0n }: { fromBlock?: bigint } = {},
): Promise<GuardianConfig> {
  const [events, stored] = await Promise.all([
    readAccountEvents(client, account, { fromBlock }),
    client.readContract({ address: account, abi: custosAccountAbi, functionName: "configHash" }),
  ]);
  const last = events.filter((e) => e.eventName === configAppliedEvent.name).at(-1);
  if (!last) {
    throw new AccountStateError(
      "CONFIG_NOT_FOUND",
      `no configuration event found for ${account} since block ${fromBlock}: search from an earlier block`,
    );
  }
  const config = configFromEvent(last.args as ConfigEventArgs);
  if (hashConfig(config) !== stored) {
    throw new AccountStateError(
      "CONFIG_MISMATCH",
      `the configuration rebuilt from events does not match the one stored by ${account}`,
    );
  }
  return config;
}
