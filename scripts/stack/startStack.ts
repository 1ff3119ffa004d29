/**
 * Starts the local Custos stack on 127.0.0.1: a development chain (anvil or Hardhat's node, see
 * ./chain.ts), the contracts (EntryPoint v0.8 at its canonical address, implementation and factory
 * through CREATE2) and a real ERC-4337 bundler (alto). On anvil the bundler runs in safe mode: it traces
 * every UserOperation's validation and refuses what breaks the ERC-7562 rules, as public bundlers do
 * (alto 0.0.20 needs patches/@pimlico+alto+0.0.20.patch for that, applied by `npm install`).
 * Used by `npm start` (scripts/stack.ts), the integration tests and the benchmark, each on its own ports.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Chain, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { DEMO_BOUNDS, ENTRY_POINT_ADDRESS } from "../../custos/index.js";
import { deployCustos, readDeployment, writeDeployment, type CustosDeployment } from "../../custos/node.js";
import { chainCommand, type ChainKind } from "./chain.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The well-known Hardhat development mnemonic: its keys are public, never use them on a real network. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export interface DevAccount {
  index: number;
  address: Address;
  privateKey: Hex;
}

export function devAccount(index: number): DevAccount {
  const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
  const privateKey = `0x${Buffer.from(account.getHdKey().privateKey!).toString("hex")}` as Hex;
  return { index, address: account.address, privateKey };
}

/** Who uses which development key: #0 deploys (and refills the bundler), #1 signs bundles, #2–#5 are for people. */
export const DEPLOYER_INDEX = 0;
export const BUNDLER_EXECUTOR_INDEX = 1;
export const BUNDLER_UTILITY_INDEX = 0;
export const USER_ACCOUNT_INDEXES = [2, 3, 4, 5] as const;

export interface StackOptions {
  chainPort: number;
  bundlerPort: number;
  /** Which development chain: "anvil" runs the bundler's ERC-7562 tracer, "hardhat" cannot (default "hardhat"). */
  chain?: ChainKind;
  /**
   * Run alto with `--safe-mode true`: every UserOperation's validation is traced and checked against
   * the ERC-7562 rules (banned opcodes, storage access, out-of-gas…). Default: on for anvil. Hardhat's
   * node has no JS tracer, so safe mode cannot run there.
   */
  safeMode?: boolean;
  /** Write deployments/<name>.json (npm start: "localhost"); tests leave it unset. */
  deploymentName?: string;
  /** Start the chain's clock at this ISO date (anvil `--timestamp`; Hardhat: scripts/stack/hardhat.node.config.ts). */
  chainInitialDate?: string;
  /**
   * Also mine an (empty) block every this many milliseconds, besides automining. An idle chain's
   * latest block is otherwise minutes old, and calls and gas estimations run at that block's time:
   * a recovery whose delay has passed in real time would still look "not yet executable". `npm start`
   * sets 1000; tests that time-travel leave it off.
   */
  intervalMiningMs?: number;
  /** Extra alto flags, e.g. ["--bundle-mode", "manual"]. */
  bundlerArgs?: string[];
  /** Where the children's output goes: a file path, "inherit" (prefixed on stderr) or "ignore" (default). */
  logs?: string | "inherit" | "ignore";
}

export interface Stack {
  rpcUrl: string;
  bundlerUrl: string;
  chain: Chain;
  /** Which development chain runs, and whether the bundler checks the ERC-7562 rules. */
  chainKind: ChainKind;
  safeMode: boolean;
  deployment: CustosDeployment;
  /** Funded development accounts #2–#5, free for guardians and funders. */
  devAccounts: DevAccount[];
  /** Milliseconds from the call until chain, contracts and bundler all answered. */
  startupMs: number;
  /** Where the start-up time went, in milliseconds. */
  timings: { chainMs: number; contractsMs: number; bundlerMs: number };
  stop(): Promise<void>;
}

function binOf(pkg: string, name: string): string {
  const manifest = path.join(root, "node_modules", pkg, "package.json");
  const bin = (JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> }).bin[name]!;
  return path.join(path.dirname(manifest), bin);
}

async function rpcAnswers(url: string, method: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
    });
    const body = (await res.json()) as { result?: unknown };
    return res.ok && body.result !== undefined;
  } catch {
    return false;
  }
}

async function waitFor(url: string, method: string, timeoutMs: number, child: ChildProcess, name: string) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before answering`);
    if (await rpcAnswers(url, method)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} at ${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Each child runs in its own process group so stopping it also stops whatever it spawned. */
function startChild(
  command: string,
  args: string[],
  name: string,
  logs: StackOptions["logs"],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const child = spawn(command, args, { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env });
  if (logs === "inherit") {
    const prefix = (chunk: Buffer) =>
      process.stderr.write(
        chunk
          .toString()
          .split("\n")
          .filter(Boolean)
          .map((line) => `[${name}] ${line}\n`)
          .join(""),
      );
    child.stdout!.on("data", prefix);
    child.stderr!.on("data", prefix);
  } else if (logs && logs !== "ignore") {
    const file = createWriteStream(logs, { flags: "a" });
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  } else {
    child.stdout!.resume();
    child.stderr!.resume();
  }
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Hardhat's coverage instrumentation calls this address; instrumented bytecode is too big to deploy. */
const COVERAGE_MARKER = "c0bec0bec0bec0bec0bec0bec0bec0bec0bec0be";
const ACCOUNT_ARTIFACT = path.join(root, "artifacts/contracts/account/CustosAccount.sol/CustosAccount.json");

/**
 * A coverage run (`npm run coverage`) rewrites the artifacts with instrumented bytecode until the next
 * plain compilation. Waits a while for clean artifacts, then says what to do.
 */
async function waitForCleanArtifacts(timeoutMs: number) {
  const start = Date.now();
  for (;;) {
    let bytecode: string;
    try {
      bytecode = (JSON.parse(readFileSync(ACCOUNT_ARTIFACT, "utf8")) as { bytecode: string }).bytecode;
    } catch {
      throw new Error(`missing ${path.relative(root, ACCOUNT_ARTIFACT)}: run \`npm run compile\` first`);
    }
    if (!bytecode.includes(COVERAGE_MARKER)) return;
    if (Date.now() - start > timeoutMs) {
      throw new Error("the compiled contracts are coverage-instrumented: run `npm run compile`, then start again");
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const started = Date.now();
  const host = "127.0.0.1";
  const rpcUrl = `http://${host}:${options.chainPort}`;
  const bundlerUrl = `http://${host}:${options.bundlerPort}`;
  const children: ChildProcess[] = [];
  const chainKind = options.chain ?? "hardhat";
  const safeMode = options.safeMode ?? chainKind === "anvil";
  if (safeMode && chainKind === "hardhat") {
    throw new Error('the bundler\'s safe mode needs a chain that runs its tracer: use chain "anvil"');
  }
  const stop = async () => {
    await Promise.all(children.reverse().map(stopChild));
  };

  await waitForCleanArtifacts(120_000);
  try {
    // 1. Chain.
    const chainStart = chainCommand(root, {
      chain: chainKind,
      host,
      port: options.chainPort,
      mnemonic: DEV_MNEMONIC,
      initialDate: options.chainInitialDate,
      intervalMiningMs: options.intervalMiningMs,
    });
    const chainProcess = startChild(chainStart.command, chainStart.args, "chain", options.logs, chainStart.env);
    children.push(chainProcess);
    await waitFor(rpcUrl, "eth_chainId", 90_000, chainProcess, chainStart.label);
    if (chainStart.afterStart) {
      await createPublicClient({ transport: http(rpcUrl) }).request({
        method: chainStart.afterStart.method as "eth_chainId",
        params: chainStart.afterStart.params as unknown as undefined,
      });
    }
    const chainUp = Date.now();

    // 2. Contracts.
    const probe = createPublicClient({ transport: http(rpcUrl) });
    const chainId = await probe.getChainId();
    const chain = defineChain({
      id: chainId,
      name: "Custos local",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    });
    const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 100 });
    const walletClient = createWalletClient({
      chain,
      transport: http(rpcUrl),
      account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: DEPLOYER_INDEX }),
    });
    const deployment = await deployCustos(
      { publicClient, walletClient },
      {
        network: options.deploymentName ?? "localhost",
        bounds: DEMO_BOUNDS,
        previous: options.deploymentName ? readDeployment(options.deploymentName) : undefined,
      },
    );
    if (options.deploymentName) writeDeployment(deployment);
    const contractsUp = Date.now();

    // 3. Bundler. alto always listens on 0.0.0.0 (hard-coded); every URL we hand out uses 127.0.0.1.
    const bundlerProcess = startChild(
      process.execPath,
      [
        binOf("@pimlico/alto", "alto"),
        "--entrypoints",
        ENTRY_POINT_ADDRESS,
        "--executor-private-keys",
        devAccount(BUNDLER_EXECUTOR_INDEX).privateKey,
        "--utility-private-key",
        devAccount(BUNDLER_UTILITY_INDEX).privateKey,
        "--safe-mode",
        String(safeMode),
        "--deploy-simulations-contract",
        "true",
        "--rpc-url",
        rpcUrl,
        "--port",
        String(options.bundlerPort),
        // The chain mines each transaction at once: poll fast so a UserOperation lands in a fraction of a second.
        "--block-time",
        "100",
        "--min-bundle-interval",
        "20",
        "--max-bundle-interval",
        "200",
        "--utility-wallet-monitor",
        "false",
        // Not "info": in safe mode it logs the whole trace of every validation (twice as slow).
        "--log-level",
        "warn",
        ...(options.bundlerArgs ?? []),
      ],
      "bundler",
      options.logs,
      process.env,
    );
    children.push(bundlerProcess);
    await waitFor(bundlerUrl, "eth_supportedEntryPoints", 60_000, bundlerProcess, "the alto bundler");

    return {
      rpcUrl,
      bundlerUrl,
      chain,
      chainKind,
      safeMode,
      deployment,
      devAccounts: USER_ACCOUNT_INDEXES.map(devAccount),
      startupMs: Date.now() - started,
      timings: { chainMs: chainUp - started, contractsMs: contractsUp - chainUp, bundlerMs: Date.now() - contractsUp },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
