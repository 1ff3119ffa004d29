import {
  decodeFunctionData,
  erc20Abi,
  getAddress,
  encodeEventTopics,
  isAddressEqual,
  parseEventLogs,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
} from "viem";
import { entryPoint08Abi } from "viem/account-abstraction";
import { custosAccountAbi } from "../generated/abis.js";
import { logReader } from "../state/logs.js";

/** One transfer out of the account (ETH or an ERC-20 token), read from the chain. */
export interface AccountSend {
  userOpHash: Hash;
  transactionHash: Hash;
  blockNumber: bigint;
  /** Unix seconds of the block. */
  timestamp: bigint;
  to: Address;
  /** "ETH", or the token's address. */
  asset: "ETH" | Address;
  /** In the asset's smallest unit (wei for ETH). */
  amount: bigint;
  symbol: string;
  decimals: number;
}

type Transfer = { to: Address; asset: "ETH" | Address; amount: bigint };

/** The transfers one call of the account makes: ETH attached to it, and an ERC-20 `transfer`. */
function transfersOf(account: Address, call: { to: Address; value: bigint; data: Hex }): Transfer[] {
  const out: Transfer[] = [];
  if (isAddressEqual(call.to, account)) return out; // the account configuring itself is not a send
  if (call.value > 0n) out.push({ to: getAddress(call.to), asset: "ETH", amount: call.value });
  if (call.data.length >= 10) {
    try {
      const decoded = decodeFunctionData({ abi: erc20Abi, data: call.data });
      if (decoded.functionName === "transfer") {
        const [to, amount] = decoded.args;
        out.push({ to: getAddress(to), asset: getAddress(call.to), amount });
      }
    } catch {
      // not an ERC-20 call
    }
  }
  return out;
}

/** The calls in an account's callData (`execute` or `executeBatch`); none for anything else. */
function callsOf(callData: Hex): { to: Address; value: bigint; data: Hex }[] {
  try {
    const decoded = decodeFunctionData({ abi: custosAccountAbi, data: callData });
    if (decoded.functionName === "execute") {
      const [to, value, data] = decoded.args as readonly [Address, bigint, Hex];
      return [{ to, value, data }];
    }
    if (decoded.functionName === "executeBatch") {
      const [calls] = decoded.args as readonly [readonly { target: Address; value: bigint; data: Hex }[]];
      return calls.map((c) => ({ to: c.target, value: c.value, data: c.data }));
    }
  } catch {
    // another function of the account (recovery, configuration): no transfer
  }
  return [];
}

/** What never changes once mined, per client: the ops of a transaction, block times, token metadata. */
interface Caches {
  ops: Map<Hash, readonly { sender: Address; nonce: bigint; callData: Hex }[]>;
  times: Map<Hash, bigint>;
  tokens: Map<Address, Promise<{ symbol: string; decimals: number }>>;
}
const caches = new WeakMap<object, Caches>();

function cachesOf(client: PublicClient): Caches {
  let c = caches.get(client);
  if (!c) {
    c = { ops: new Map(), times: new Map(), tokens: new Map() };
    caches.set(client, c);
  }
  if (c.ops.size > 5_000) c.ops.clear();
  if (c.times.size > 10_000) c.times.clear();
  return c;
}

async function opsOf(client: PublicClient, c: Caches, hash: Hash) {
  const known = c.ops.get(hash);
  if (known) return known;
  const tx = await client.getTransaction({ hash });
  let ops: { sender: Address; nonce: bigint; callData: Hex }[] = [];
  try {
    const decoded = decodeFunctionData({ abi: entryPoint08Abi, data: tx.input });
    if (decoded.functionName === "handleOps") {
      ops = decoded.args[0].map((op) => ({ sender: op.sender, nonce: op.nonce, callData: op.callData }));
    } else if (decoded.functionName === "handleAggregatedOps") {
      ops = decoded.args[0].flatMap((group) =>
        group.userOps.map((op) => ({ sender: op.sender, nonce: op.nonce, callData: op.callData })),
      );
    }
  } catch {
    // sent through another contract (a bundler's multicall): its ops cannot be read from the input
  }
  c.ops.set(hash, ops);
  return ops;
}

function tokenInfo(client: PublicClient, c: Caches, token: Address) {
  let info = c.tokens.get(token);
  if (!info) {
    info = Promise.all([
      client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }).catch(() => "tokens"),
      client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }).catch(() => 18),
    ]).then(([symbol, decimals]) => ({ symbol, decimals: Number(decimals) }));
    c.tokens.set(token, info);
  }
  return info;
}

/**
 * The ETH and ERC-20 sends of `account` since `fromBlock`, newest first, read from the chain alone (so
 * every device lists them): the EntryPoint's `UserOperationEvent`s of the account (successful ones,
 * through the client's chunked, incremental log reader), then each operation's callData from its
 * `handleOps` transaction. An ETH transfer from a smart account emits no event of its own; this is
 * where it shows.
 */
export async function listAccountSends(
  client: PublicClient,
  parameters: { account: Address; entryPoint: Address; fromBlock?: bigint; toBlock?: bigint },
): Promise<AccountSend[]> {
  const account = getAddress(parameters.account);
  const c = cachesOf(client);
  const topics = encodeEventTopics({
    abi: entryPoint08Abi,
    eventName: "UserOperationEvent",
    args: { sender: account },
  });
  const logs = await logReader(client).getLogs(
    { address: parameters.entryPoint, topics },
    { fromBlock: parameters.fromBlock ?? 0n, toBlock: parameters.toBlock },
  );
  const sends: AccountSend[] = [];
  for (const log of parseEventLogs({ abi: entryPoint08Abi, eventName: "UserOperationEvent", logs })) {
    const { nonce, success, userOpHash } = log.args;
    if (!success) continue;
    const ops = await opsOf(client, c, log.transactionHash!);
    const op = ops.find((o) => isAddressEqual(o.sender, account) && o.nonce === nonce);
    if (!op) continue;
    const transfers = callsOf(op.callData).flatMap((call) => transfersOf(account, call));
    if (transfers.length === 0) continue;
    let timestamp = c.times.get(log.blockHash!);
    if (timestamp === undefined) {
      timestamp = (await client.getBlock({ blockHash: log.blockHash! })).timestamp;
      c.times.set(log.blockHash!, timestamp);
    }
    for (const t of transfers) {
      const info = t.asset === "ETH" ? { symbol: "ETH", decimals: 18 } : await tokenInfo(client, c, t.asset);
      sends.push({
        userOpHash,
        transactionHash: log.transactionHash!,
        blockNumber: log.blockNumber!,
        timestamp,
        ...t,
        ...info,
      });
    }
  }
  return sends.reverse();
}
