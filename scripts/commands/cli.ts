import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  isAddress,
  isHex,
  parseEther,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { readDeployment, readDeploymentForChain, type CustosDeployment } from "../../custos/node.js";
import { InvalidInputError, configureLogReads, httpLogIndex, type SenderClient } from "../../custos/index.js";

/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Hardhat's dev account #9: public knowledge, funded on every local Hardhat node (chain 31337 only).
 * Not #0/#1, which the local stack's bundler uses for its own transactions (no nonce races).
 */
const HARDHAT_DEV_KEY: Hex = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

export const GLOBAL_OPTIONS = {
  network: { type: "string" },
  chain: { type: "string" },
  rpc: { type: "string" },
  bundler: { type: "string" },
  "from-block": { type: "string" },
  "max-block-range": { type: "string" },
  "log-index": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

export const GLOBAL_HELP = `Global options:
  --network <name>     deployments/<name>.json to use (default CUSTOS_NETWORK, else localhost)
  --chain <id|name>    or choose the deployment by chain id or network name (default CUSTOS_CHAIN_ID)
  --rpc <url>          chain RPC URL (default CUSTOS_RPC_URL_<NETWORK>, CUSTOS_RPC_URL, http://127.0.0.1:8545)
  --bundler <url>      ERC-4337 bundler URL (default CUSTOS_BUNDLER_URL_<NETWORK>, CUSTOS_BUNDLER_URL,
                       http://127.0.0.1:4337)
  --from-block <n>     first block to read events from (default: the deployment block)
  --max-block-range <n>  largest eth_getLogs range (default CUSTOS_MAX_BLOCK_RANGE, else 2000; a provider's
                       refusal shrinks it)
  --log-index <url>    read account logs from a Custos server's index first, e.g. https://…/api/logs
                       (default CUSTOS_LOG_INDEX_URL; each log checked against its receipt, the chain as fallback)
  -h, --help           show help`;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs with the global options; prints `usage` and returns undefined on --help. */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (see --help)`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(`${usage.trim()}\n\n${GLOBAL_HELP}`);
    return undefined;
  }
  return parsed;
}

export interface CliContext {
  network: string;
  rpcUrl: string;
  bundlerUrl: string;
  deployment: CustosDeployment;
  chain: Chain;
  client: PublicClient;
  fromBlock: bigint;
  wallet(key: PrivateKeyAccount): SenderClient;
}

/**
 * The deployment chosen by --network / --chain (or CUSTOS_NETWORK / CUSTOS_CHAIN_ID), localhost by
 * default. --chain takes a chain id or a network name (`--chain 71002`, `--chain base-sepolia`).
 */
export function chooseDeployment(values: Record<string, unknown>): CustosDeployment {
  const given = values.chain ?? process.env.CUSTOS_CHAIN_ID;
  const byName = given !== undefined && !/^\d+$/.test(String(given));
  if (byName && values.network !== undefined && values.network !== given) {
    throw new UsageError(`--network ${String(values.network)} and --chain ${String(given)} name different networks`);
  }
  const chain = byName ? undefined : given;
  const name = values.network ?? (byName ? given : chain === undefined ? process.env.CUSTOS_NETWORK : undefined);
  if (name === undefined && chain !== undefined) {
    const id = Number(parseUint(String(chain), "--chain"));
    const found = readDeploymentForChain(id);
    if (!found) throw new InvalidInputError(`no deployment for chain ${id} in deployments/ (deploy there first)`);
    return found;
  }
  const network = String(name ?? "localhost");
  const deployment = readDeployment(network);
  if (!deployment) {
    throw new InvalidInputError(`no deployment for network "${network}" (deployments/${network}.json is missing)`);
  }
  if (chain !== undefined && deployment.chainId !== Number(chain)) {
    throw new InvalidInputError(`deployments/${network}.json is for chain ${deployment.chainId}, not chain ${chain}`);
  }
  return deployment;
}

/** CUSTOS_<NAME>_<NETWORK> (e.g. CUSTOS_RPC_URL_SEPOLIA), else CUSTOS_<NAME>. */
function perNetworkEnv(name: string, network: string): string | undefined {
  return process.env[`${name}_${network.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`] ?? process.env[name];
}

/** Reads the deployment, connects to the chain and checks the chain id matches the deployment. */
export async function connect(values: Record<string, unknown>): Promise<CliContext> {
  const deployment = chooseDeployment(values);
  const network = deployment.network;
  const rpcUrl = String(values.rpc ?? perNetworkEnv("CUSTOS_RPC_URL", network) ?? "http://127.0.0.1:8545");
  const bundlerUrl = String(values.bundler ?? perNetworkEnv("CUSTOS_BUNDLER_URL", network) ?? "http://127.0.0.1:4337");
  const chain = defineChain({
    id: deployment.chainId,
    name: network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const client = createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 0 }), pollingInterval: 100 });
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch {
    throw new InvalidInputError(`the chain at ${rpcUrl} does not answer (is \`npm start\` running?)`);
  }
  if (chainId !== deployment.chainId) {
    throw new InvalidInputError(
      `wrong network: ${rpcUrl} is chain ${chainId} but deployments/${network}.json is for chain ${deployment.chainId}`,
    );
  }
  const maxBlockRange = values["max-block-range"] ?? process.env.CUSTOS_MAX_BLOCK_RANGE;
  const logIndex = values["log-index"] ?? process.env.CUSTOS_LOG_INDEX_URL;
  if (maxBlockRange !== undefined || logIndex !== undefined) {
    if (logIndex !== undefined && !URL.canParse(String(logIndex))) {
      throw new UsageError(`--log-index: "${String(logIndex)}" is not a URL`);
    }
    configureLogReads(client as PublicClient, {
      ...(maxBlockRange !== undefined ? { maxBlockRange: parseUint(String(maxBlockRange), "--max-block-range") } : {}),
      ...(logIndex !== undefined ? { index: httpLogIndex(String(logIndex), { chainId: deployment.chainId }) } : {}),
    });
  }
  const fromBlock =
    values["from-block"] !== undefined
      ? parseUint(String(values["from-block"]), "--from-block")
      : BigInt(deployment.deploymentBlock);
  return {
    network,
    rpcUrl,
    bundlerUrl,
    deployment,
    chain,
    client: client as PublicClient,
    fromBlock,
    wallet: (key) => createWalletClient({ account: key, chain, transport: http(rpcUrl, { retryCount: 0 }) }),
  };
}

/** Whether a bundler answers at `url` (eth_supportedEntryPoints within 1.5 s). */
export async function bundlerAvailable(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_supportedEntryPoints", params: [] }),
      signal: AbortSignal.timeout(1500),
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { result?: unknown };
    return Array.isArray(body.result);
  } catch {
    return false;
  }
}

export function parseKey(value: string, what: string): PrivateKeyAccount {
  const key = value.trim();
  const hex = (key.startsWith("0x") ? key : `0x${key}`) as Hex;
  if (!isHex(hex) || hex.length !== 66) throw new InvalidInputError(`${what} is not a 32-byte hex private key`);
  try {
    return privateKeyToAccount(hex);
  } catch {
    throw new InvalidInputError(`${what} is not a valid private key`);
  }
}

/** A key from the environment (never from the command line, where it would land in shell history). */
export function keyFromEnv(name: string, role: string): PrivateKeyAccount {
  const value = process.env[name];
  if (!value) throw new InvalidInputError(`set ${name} to the ${role}'s private key`);
  return parseKey(value, name);
}

/** The key that pays for transactions anyone may send; Hardhat's public dev key on a local chain. */
export function relayerKey(ctx: CliContext): PrivateKeyAccount {
  if (process.env.CUSTOS_RELAYER_KEY) return parseKey(process.env.CUSTOS_RELAYER_KEY, "CUSTOS_RELAYER_KEY");
  if (ctx.deployment.chainId === 31337) return privateKeyToAccount(HARDHAT_DEV_KEY);
  throw new InvalidInputError("set CUSTOS_RELAYER_KEY to a funded key that pays for the transaction, or use --userop");
}

export function parseAddress(value: unknown, what: string): Address {
  if (typeof value !== "string" || value === "") throw new UsageError(`${what} is required (see --help)`);
  if (!isAddress(value, { strict: false }))
    throw new InvalidInputError(`${what} "${value}" is not an Ethereum address`);
  return getAddress(value);
}

export function parseUint(value: string, what: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidInputError(`${what} must be a whole number, not "${value}"`);
  return BigInt(value);
}

const UNITS: Record<string, bigint> = { s: 1n, m: 60n, min: 60n, h: 3600n, d: 86400n };

/** "90", "90s", "2m", "1h", "3d" → seconds. */
export function parseDuration(value: string, what: string): bigint {
  const match = /^(\d+)\s*(s|m|min|h|d)?$/.exec(value.trim());
  if (!match) throw new InvalidInputError(`${what} must be a duration like 90, 90s, 2m, 1h or 3d, not "${value}"`);
  return BigInt(match[1]!) * UNITS[match[2] ?? "s"]!;
}

export function parseEth(value: string, what: string): bigint {
  if (!/^\d+(\.\d+)?$/.test(value))
    throw new InvalidInputError(`${what} must be an amount of ETH like 0.5, not "${value}"`);
  return parseEther(value);
}

/** An argument that is either a file path or the text itself (JSON, a link). */
export function readTextArg(value: string): string {
  if (existsSync(value)) return readFileSync(value, "utf8");
  const inline = value.trim();
  // Not JSON, not a link: the user meant a file that is not there.
  if (!inline.startsWith("{") && !inline.startsWith("[") && !/^https?:\/\//.test(inline)) {
    throw new InvalidInputError(`file ${value} not found (paths are relative to ${process.cwd()})`);
  }
  return value;
}

/** Signature arguments: files or JSON texts; a file may hold one JSON per line or a JSON array. */
export function readJsonItems(values: readonly string[]): string[] {
  const items: string[] = [];
  for (const value of values) {
    const text = readTextArg(value).trim();
    if (text.startsWith("[")) {
      let array: unknown;
      try {
        array = JSON.parse(text);
      } catch {
        throw new InvalidInputError(`malformed signature list in ${value}: it is not valid JSON`);
      }
      for (const item of array as unknown[]) items.push(JSON.stringify(item));
    } else {
      const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
      if (lines.length > 1 && lines.every((l) => l.trim().startsWith("{"))) items.push(...lines);
      else items.push(text);
    }
  }
  return items;
}

export function output(text: string, file?: string): void {
  if (file) {
    writeFileSync(file, text.endsWith("\n") ? text : `${text}\n`);
    console.error(`wrote ${file}`);
  } else {
    console.log(text);
  }
}

export function requireSubcommand(sub: string | undefined, known: readonly string[], group: string): string {
  if (!sub) throw new UsageError(`"custos ${group}" needs a subcommand: ${known.join(", ")} (see --help)`);
  if (!known.includes(sub))
    throw new UsageError(`unknown command "custos ${group} ${sub}" (see custos ${group} --help)`);
  return sub;
}

/**
 * Splits `argv` into a known subcommand of `group` and its arguments. For no subcommand or --help it
 * prints `usage` (exit code 2 when nothing was given) and returns undefined.
 */
export function subcommand(
  argv: readonly string[],
  usage: string,
  known: readonly string[],
  group: string,
): { sub: string; rest: string[] } | undefined {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    console.log(usage);
    if (sub === undefined) process.exitCode = 2;
    return undefined;
  }
  return { sub: requireSubcommand(sub, known, group), rest };
}

export const accountOption = { account: { type: "string" } } as const;
export const ACCOUNT_HELP = "  --account <address>    the Custos account (default CUSTOS_ACCOUNT)";

export function resolveAccount(values: Record<string, unknown>): Address {
  return parseAddress(values.account ?? process.env.CUSTOS_ACCOUNT, "--account");
}
