import {
  encodeEventTopics,
  getAddress,
  isAddressEqual,
  parseAbiItem,
  parseEventLogs,
  type Address,
  type PublicClient,
} from "viem";
import { hashConfig } from "../config.js";
import { custosAccountAbi } from "../generated/abis.js";
import { LogReader, logReader } from "../state/logs.js";
import { toGuardianConfig, type RecoveryBackup } from "./context.js";
import {
  AccountNotFoundError,
  OwnerMismatchError,
  PassphraseRequiredError,
  WrongAccountError,
  WrongChainError,
  type BackupError,
} from "./errors.js";
import { deriveOwnerAddress } from "./mnemonic.js";

/** The outcome of a dry run (B4): nothing on chain is changed either way. */
export type VerifyReport =
  | {
      ok: true;
      account: Address;
      chainId: number;
      owner: Address;
      /** For a kit: whether the kit's guardian configuration is still the account's current one. */
      configCurrent?: boolean;
      message: string;
    }
  | { ok: false; error: BackupError; message: string };

/** The account's current owner, or undefined when no contract is deployed there. */
export async function readAccountOwner(client: PublicClient, account: Address): Promise<Address | undefined> {
  const code = await client.getCode({ address: account });
  if (!code || code === "0x") return undefined;
  return client.readContract({ address: account, abi: custosAccountAbi, functionName: "owner" });
}

/**
 * Checks that the words (+ passphrase) are the current owner key of `account` on the client's
 * chain, optionally that the chain is `expectedChainId`. Reads only.
 */
export async function verifyWords(
  client: PublicClient,
  params: { mnemonic: string; passphrase?: string; account: Address; expectedChainId?: number },
): Promise<VerifyReport> {
  const owner = deriveOwnerAddress(params.mnemonic, params.passphrase);
  return verifyOwner(client, { owner, account: getAddress(params.account), expectedChainId: params.expectedChainId });
}

/**
 * Checks a decrypted kit against the chain: the right chain, an account at the kit's address, and
 * the kit's words (+ passphrase when the kit uses one) as its current owner. Reads only.
 */
export async function verifyBackup(
  client: PublicClient,
  backup: RecoveryBackup,
  passphrase = "",
): Promise<VerifyReport> {
  if (backup.hasPassphrase && passphrase === "") throw new PassphraseRequiredError();
  const owner = deriveOwnerAddress(backup.mnemonic, passphrase);
  const { account, chainId } = backup.context;
  const report = await verifyOwner(client, { owner, account, expectedChainId: chainId });
  if (!report.ok) return report;
  const onChainHash = await client.readContract({
    address: account,
    abi: custosAccountAbi,
    functionName: "configHash",
  });
  const configCurrent = onChainHash === hashConfig(toGuardianConfig(backup.context));
  const note = configCurrent
    ? ""
    : " Its guardian list is out of date (the guardians were changed since): make a new kit.";
  return { ...report, configCurrent, message: report.message + note };
}

async function verifyOwner(
  client: PublicClient,
  params: { owner: Address; account: Address; expectedChainId?: number },
): Promise<VerifyReport> {
  const chainId = await client.getChainId();
  const fail = (error: BackupError): VerifyReport => ({ ok: false, error, message: error.message });
  if (params.expectedChainId !== undefined && params.expectedChainId !== chainId) {
    return fail(new WrongChainError(params.expectedChainId, chainId));
  }
  const onChainOwner = await readAccountOwner(client, params.account);
  if (onChainOwner === undefined) return fail(new AccountNotFoundError(params.account, chainId));
  if (!isAddressEqual(onChainOwner, params.owner)) {
    return fail(new OwnerMismatchError(params.account, chainId, params.owner, onChainOwner));
  }
  return {
    ok: true,
    account: params.account,
    chainId,
    owner: params.owner,
    message: `This backup restores account ${params.account} on chain ${chainId}.`,
  };
}

const ownerChanged = parseAbiItem(
  "event OwnerChanged(address indexed previousOwner, address indexed newOwner, uint8 reason)",
);
const accountCreated = parseAbiItem(
  "event AccountCreated(address indexed account, address indexed owner, bytes32 indexed configHash, uint256 salt)",
);

export interface FoundAccount {
  account: Address;
  /** True when the account was created with this owner; false when the owner came later (recovery or rotation). */
  createdWithThisOwner: boolean;
}

/**
 * The accounts whose current owner is `owner`. Candidates: accounts the factory created for
 * `owner`, and contracts whose OwnerChanged event names `owner` as new owner — the latter kept
 * only if the same factory created them (so a look-alike contract cannot pose as the user's
 * account). Every candidate is kept only while `owner()` still returns `owner` (an owner replaced
 * by recovery or rotation no longer restores it). Logs are read from `fromBlock` through the
 * client's log reader (custos/state/logs.ts), in calls of at most `maxBlockRange` blocks when given.
 */
export async function findAccountsOfOwner(
  client: PublicClient,
  params: { owner: Address; factory: Address; fromBlock: bigint; maxBlockRange?: bigint },
): Promise<FoundAccount[]> {
  const reader =
    params.maxBlockRange !== undefined
      ? new LogReader(client, { maxBlockRange: params.maxBlockRange })
      : logReader(client);
  const range = { fromBlock: params.fromBlock, toBlock: await client.getBlockNumber({ cacheTime: 0 }) };
  const createdWithOwner = new Set<Address>();
  const ownerLater = new Set<Address>();
  const [created, changed] = await Promise.all([
    reader.getLogs(
      {
        address: params.factory,
        topics: encodeEventTopics({
          abi: [accountCreated],
          eventName: "AccountCreated",
          args: { owner: params.owner },
        }),
      },
      range,
    ),
    reader.getLogs(
      {
        topics: encodeEventTopics({ abi: [ownerChanged], eventName: "OwnerChanged", args: { newOwner: params.owner } }),
      },
      range,
    ),
  ]);
  for (const log of parseEventLogs({ abi: [accountCreated], logs: created })) {
    createdWithOwner.add(getAddress(log.args.account));
  }
  for (const log of parseEventLogs({ abi: [ownerChanged], logs: changed })) ownerLater.add(getAddress(log.address));
  const laterOnly = [...ownerLater].filter((a) => !createdWithOwner.has(a));
  const fromFactory = laterOnly.length ? await createdByFactory(reader, params.factory, laterOnly, range) : new Set();

  const found: FoundAccount[] = [];
  for (const account of [...createdWithOwner, ...laterOnly.filter((a) => fromFactory.has(a))]) {
    const current = await readCandidateOwner(client, account);
    if (current && isAddressEqual(current, params.owner)) {
      found.push({ account, createdWithThisOwner: createdWithOwner.has(account) });
    }
  }
  return found;
}

/** Which of `accounts` the factory created (AccountCreated has the account as an indexed topic). */
async function createdByFactory(
  reader: LogReader,
  factory: Address,
  accounts: Address[],
  range: { fromBlock: bigint; toBlock: bigint },
): Promise<Set<Address>> {
  const logs = await reader.getLogs(
    {
      address: factory,
      topics: encodeEventTopics({ abi: [accountCreated], eventName: "AccountCreated", args: { account: accounts } }),
    },
    range,
  );
  return new Set(parseEventLogs({ abi: [accountCreated], logs }).map((log) => getAddress(log.args.account)));
}

async function readCandidateOwner(client: PublicClient, account: Address): Promise<Address | undefined> {
  try {
    return await readAccountOwner(client, account);
  } catch {
    return undefined; // a contract that merely emitted a look-alike event
  }
}

export interface RestoreFromWordsResult {
  owner: Address;
  chainId: number;
  accounts: FoundAccount[];
}

/**
 * B5 from the words alone: derives the owner key's address and finds the accounts it controls on
 * the client's chain, searching from the deployment's first block.
 */
export async function restoreFromWords(
  client: PublicClient,
  params: {
    mnemonic: string;
    passphrase?: string;
    deployment: { factory: Address; deploymentBlock: number | bigint; chainId: number };
    maxBlockRange?: bigint;
  },
): Promise<RestoreFromWordsResult> {
  const owner = deriveOwnerAddress(params.mnemonic, params.passphrase);
  const chainId = await client.getChainId();
  if (chainId !== params.deployment.chainId) throw new WrongChainError(params.deployment.chainId, chainId);
  const accounts = await findAccountsOfOwner(client, {
    owner,
    factory: params.deployment.factory,
    fromBlock: BigInt(params.deployment.deploymentBlock),
    maxBlockRange: params.maxBlockRange,
  });
  return { owner, chainId, accounts };
}

/**
 * B5 from a decrypted kit: the kit must be for the client's chain and, when the user named an
 * account, for that account; then the same dry run as verifyBackup. Throws the typed mismatch.
 */
export async function restoreFromKit(
  client: PublicClient,
  backup: RecoveryBackup,
  options: { passphrase?: string; expectedAccount?: Address } = {},
): Promise<{ account: Address; chainId: number; owner: Address; configCurrent: boolean }> {
  const { expectedAccount } = options;
  if (expectedAccount && !isAddressEqual(expectedAccount, backup.context.account)) {
    throw new WrongAccountError(backup.context.account, getAddress(expectedAccount));
  }
  const report = await verifyBackup(client, backup, options.passphrase);
  if (!report.ok) throw report.error;
  return {
    account: report.account,
    chainId: report.chainId,
    owner: report.owner,
    configCurrent: report.configCurrent ?? true,
  };
}
