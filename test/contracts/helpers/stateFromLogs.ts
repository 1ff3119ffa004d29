import { artifacts } from "hardhat";
import { Interface, type Provider } from "ethers";
import { hashConfig, type GuardianConfig } from "./config.js";

/** An account's state rebuilt from the factory's and the account's logs alone (rule S11). */
export interface RebuiltState {
  owner: string;
  config: GuardianConfig;
  configHash: string;
  epoch: bigint;
  nonce: bigint;
  lockedUntil: bigint;
  recovering: boolean;
  pendingRecovery: { newOwner: string; executeAfter: bigint; guardianCount: bigint };
  /** Pending configuration changes at the current epoch, by configuration hash. */
  pendingChanges: Map<string, { config: GuardianConfig; readyAt: bigint; expiresAt: bigint }>;
  /** On-chain approvals by recovery digest: bitmap of guardian indexes. */
  approvals: Map<string, bigint>;
}

export class LogReplayError extends Error {
  override name = "LogReplayError";
}

const ZERO = "0x0000000000000000000000000000000000000000";
const NO_RECOVERY = { newOwner: ZERO, executeAfter: 0n, guardianCount: 0n };

function configFromArgs(args: readonly unknown[]): GuardianConfig {
  const [guardians, threshold, recoveryDelay, securityPeriod, securityWindow, lockPeriod] = args as [
    string[],
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  return { guardians: [...guardians], threshold, recoveryDelay, securityPeriod, securityWindow, lockPeriod };
}

/** Decodes the logs of `factory` and `account` with the compiled ABIs and replays them in order. */
export async function rebuildFromLogs(provider: Provider, factory: string, account: string): Promise<RebuiltState> {
  const accountAbi = new Interface((await artifacts.readArtifact("CustosAccount")).abi as never);
  const factoryAbi = new Interface((await artifacts.readArtifact("CustosFactory")).abi as never);
  const logs = [
    ...(await provider.getLogs({ address: factory, fromBlock: 0 })),
    ...(await provider.getLogs({ address: account, fromBlock: 0 })),
  ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);

  let created = false;
  const state: RebuiltState = {
    owner: ZERO,
    config: { guardians: [], threshold: 0n, recoveryDelay: 0n, securityPeriod: 0n, securityWindow: 0n, lockPeriod: 0n },
    configHash: "0x",
    epoch: 0n,
    nonce: 0n,
    lockedUntil: 0n,
    recovering: false,
    pendingRecovery: NO_RECOVERY,
    pendingChanges: new Map(),
    approvals: new Map(),
  };
  const bumpEpoch = (to: bigint) => {
    if (to !== state.epoch + 1n) throw new LogReplayError(`epoch jumps from ${state.epoch} to ${to}`);
    state.epoch = to;
    state.pendingChanges.clear(); // changes are keyed by epoch: the old ones can never be confirmed
  };
  const endRecovery = () => {
    state.recovering = false;
    state.pendingRecovery = NO_RECOVERY;
    state.nonce += 1n;
  };

  for (const log of logs) {
    if (log.address.toLowerCase() === factory.toLowerCase()) {
      const event = factoryAbi.parseLog(log);
      if (event?.name === "AccountCreated" && event.args[0].toLowerCase() === account.toLowerCase()) {
        created = true;
        state.owner = event.args[1];
        state.configHash = event.args[2];
      }
      continue;
    }
    const event = accountAbi.parseLog(log);
    if (event === null) throw new LogReplayError(`undecodable log ${log.topics[0]}`);
    const a = event.args;
    switch (event.name) {
      case "OwnerChanged": {
        state.owner = a.newOwner;
        if (a.reason === 2n) {
          state.nonce += 1n;
          bumpEpoch(state.epoch + 1n);
        }
        break;
      }
      case "ConfigApplied": {
        const config = configFromArgs([
          a.guardians,
          a.threshold,
          a.recoveryDelay,
          a.securityPeriod,
          a.securityWindow,
          a.lockPeriod,
        ]);
        if (hashConfig(config) !== a.configHash)
          throw new LogReplayError("ConfigApplied hash does not match its fields");
        if (a.epoch === 0n) {
          if (state.epoch !== 0n) throw new LogReplayError("creation configuration after creation");
        } else bumpEpoch(a.epoch);
        state.config = config;
        state.configHash = a.configHash;
        break;
      }
      case "ConfigChangeRequested": {
        if (a.epoch !== state.epoch) throw new LogReplayError("change requested at another epoch");
        const config = configFromArgs([
          a.guardians,
          a.threshold,
          a.recoveryDelay,
          a.securityPeriod,
          a.securityWindow,
          a.lockPeriod,
        ]);
        if (hashConfig(config) !== a.configHash) throw new LogReplayError("requested hash does not match its fields");
        state.pendingChanges.set(a.configHash, { config, readyAt: a.readyAt, expiresAt: a.expiresAt });
        break;
      }
      case "ConfigChangeCancelled":
        state.pendingChanges.delete(a.configHash);
        break;
      case "Locked":
        state.lockedUntil = a.until;
        break;
      case "Unlocked":
        state.lockedUntil = 0n;
        break;
      case "RecoveryApproved": {
        const index = state.config.guardians.findIndex((g) => g.toLowerCase() === a.guardian.toLowerCase());
        if (index < 0) throw new LogReplayError(`approval by non-guardian ${a.guardian}`);
        state.approvals.set(a.approvalHash, (state.approvals.get(a.approvalHash) ?? 0n) | (1n << BigInt(index)));
        break;
      }
      case "RecoveryStarted":
        if (a.nonce !== state.nonce) throw new LogReplayError("recovery started at another nonce");
        state.recovering = true;
        state.pendingRecovery = { newOwner: a.newOwner, executeAfter: a.executeAfter, guardianCount: a.guardianCount };
        break;
      case "RecoveryCancelled":
        endRecovery();
        break;
      case "RecoveryExecuted":
        // OwnerChanged (reason 1) follows and sets the owner.
        endRecovery();
        state.lockedUntil = 0n;
        bumpEpoch(state.epoch + 1n);
        break;
      case "Upgraded":
        break;
      default:
        throw new LogReplayError(`unexpected event ${event.name}`);
    }
  }
  if (!created) throw new LogReplayError(`no AccountCreated for ${account}`);
  return state;
}
