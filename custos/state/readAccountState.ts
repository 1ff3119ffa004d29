import { getAddress, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { hashConfig, type GuardianConfig } from "../config.js";
import { AccountStateError } from "../errors.js";
import { custosAccountAbi } from "../generated/abis.js";
import { readAccountStateTuple } from "../approvals/build.js";
import { readAccountEvents, type AccountEvent } from "./events.js";
import { chainTime } from "./chainTime.js";
import { configFromEvent, type ConfigEventArgs } from "./readConfig.js";

/** A requested configuration change still waiting for confirmation at the current epoch. */
export interface PendingConfigChange {
  configHash: Hex;
  config: GuardianConfig;
  readyAt: bigint;
  expiresAt: bigint;
  /** waiting: security period running; confirmable: inside the window; expired: window passed. */
  status: "waiting" | "confirmable" | "expired";
  /** Seconds until it can be confirmed (0 when it can). */
  secondsUntilReady: bigint;
  /** Seconds until the confirmation window closes (0 when closed). */
  secondsUntilExpiry: bigint;
  requestedAt: bigint;
  transactionHash: Hash;
}

export interface RecordedApproval {
  guardian: Address;
  newOwner: Address;
  approvalHash: Hex;
  timestamp: bigint;
}

export interface PendingRecovery {
  newOwner: Address;
  executeAfter: bigint;
  guardianCount: number;
  /** Seconds until it can be executed (0 when it can). */
  secondsLeft: bigint;
  executable: boolean;
  startedAt?: bigint;
}

export interface AccountState {
  address: Address;
  chainId: number;
  /** The chain's time for its next transaction (unix seconds): countdowns are relative to it. */
  now: bigint;
  blockNumber: bigint;
  balance: bigint;
  owner: Address;
  config: GuardianConfig;
  configHash: Hex;
  epoch: bigint;
  nonce: bigint;
  lockedUntil: bigint;
  locked: boolean;
  /** Seconds the lock still holds (0 when unlocked). */
  lockSecondsLeft: bigint;
  recovering: boolean;
  recovery?: PendingRecovery;
  /** Guardian approvals recorded on-chain (RecoveryApproved) since the nonce/epoch last changed. */
  recordedApprovals: RecordedApproval[];
  pendingChanges: PendingConfigChange[];
  /** Every event of the account, newest first. */
  activity: AccountEvent[];
}

/** Events after which earlier approvals are void (they bump the recovery nonce or the epoch). */
const NONCE_OR_EPOCH_BUMPS = new Set(["ConfigApplied", "RecoveryCancelled", "RecoveryExecuted", "OwnerChanged"]);

/**
 * Rebuilds an account's full state from the chain and its events (rule S11): owner, configuration
 * (the last ConfigApplied, checked against `configHash()`), pending configuration changes with their
 * windows, lock, pending recovery with its countdown and on-chain approvals, and the activity list.
 */
export async function readAccountState(
  client: PublicClient,
  accountAddress: Address,
  { fromBlock = 0n }: { fromBlock?: bigint } = {},
): Promise<AccountState> {
  const address = getAddress(accountAddress);
  const [block, now] = await Promise.all([client.getBlock(), chainTime(client)]);
  const blockNumber = block.number!;
  const read = <name extends "configHash" | "pendingRecovery">(functionName: name) =>
    client.readContract({ address, abi: custosAccountAbi, functionName, blockNumber });
  // First: says "no Custos account at …" before any other read can fail less clearly.
  const tuple = await readAccountStateTuple(client, address);
  const [storedHash, pending, balance, chainId, events] = await Promise.all([
    read("configHash"),
    read("pendingRecovery"),
    client.getBalance({ address, blockNumber }),
    client.getChainId(),
    readAccountEvents(client, address, { fromBlock, toBlock: blockNumber }),
  ]);
  const [owner, lockedUntil, recovering, epoch, nonce] = tuple;

  const applied = events.filter((e) => e.eventName === "ConfigApplied");
  const lastApplied = applied[applied.length - 1];
  if (!lastApplied) {
    throw new AccountStateError(
      "CONFIG_NOT_FOUND",
      `no configuration event found for ${address} since block ${fromBlock}: search from an earlier block`,
    );
  }
  const config = configFromEvent(lastApplied.args as ConfigEventArgs);
  if (hashConfig(config) !== storedHash) {
    throw new AccountStateError("CONFIG_MISMATCH", `the configuration rebuilt from events does not match ${address}`);
  }

  const pendingChanges = await readPendingChanges(client, address, events, epoch, now, blockNumber);

  let recovery: PendingRecovery | undefined;
  if (recovering) {
    const [newOwner, executeAfter, guardianCount] = pending;
    const started = [...events].reverse().find((e) => e.eventName === "RecoveryStarted");
    recovery = {
      newOwner,
      executeAfter,
      guardianCount: Number(guardianCount),
      secondsLeft: executeAfter > now ? executeAfter - now : 0n,
      executable: now >= executeAfter,
      startedAt: started?.timestamp,
    };
  }

  let lastBump = -1;
  events.forEach((e, i) => {
    if (NONCE_OR_EPOCH_BUMPS.has(e.eventName)) lastBump = i;
  });
  const recordedApprovals = events
    .slice(lastBump + 1)
    .filter((e) => e.eventName === "RecoveryApproved")
    .map((e) => ({
      guardian: e.args.guardian as Address,
      newOwner: e.args.newOwner as Address,
      approvalHash: e.args.approvalHash as Hex,
      timestamp: e.timestamp,
    }));

  return {
    address,
    chainId,
    now,
    blockNumber,
    balance,
    owner,
    config,
    configHash: storedHash,
    epoch,
    nonce,
    lockedUntil,
    locked: lockedUntil > now,
    lockSecondsLeft: lockedUntil > now ? lockedUntil - now : 0n,
    recovering,
    recovery,
    recordedApprovals,
    pendingChanges,
    activity: [...events].reverse(),
  };
}

/** ConfigChangeRequested at the current epoch, minus cancelled ones, confirmed against the contract. */
async function readPendingChanges(
  client: PublicClient,
  address: Address,
  events: readonly AccountEvent[],
  epoch: bigint,
  now: bigint,
  blockNumber: bigint,
): Promise<PendingConfigChange[]> {
  // Replay requests and cancellations of the current epoch in order; a confirmation bumps the epoch.
  const byHash = new Map<Hex, AccountEvent>();
  for (const e of events) {
    if (e.args.epoch !== epoch) continue;
    if (e.eventName === "ConfigChangeRequested") byHash.set(e.args.configHash as Hex, e);
    if (e.eventName === "ConfigChangeCancelled") byHash.delete(e.args.configHash as Hex);
  }
  const changes: PendingConfigChange[] = [];
  for (const [configHash, e] of byHash) {
    const [readyAt, expiresAt] = await client.readContract({
      address,
      abi: custosAccountAbi,
      functionName: "pendingConfigChange",
      args: [configHash],
      blockNumber,
    });
    if (readyAt === 0n) continue;
    changes.push({
      configHash,
      config: configFromEvent(e.args as ConfigEventArgs),
      readyAt,
      expiresAt,
      status: now < readyAt ? "waiting" : now <= expiresAt ? "confirmable" : "expired",
      secondsUntilReady: readyAt > now ? readyAt - now : 0n,
      secondsUntilExpiry: expiresAt > now ? expiresAt - now : 0n,
      requestedAt: e.timestamp,
      transactionHash: e.transactionHash,
    });
  }
  return changes;
}
