/**
 * How the stack starts its development chain. Two flavours:
 * - "anvil" (default for `npm start` and the integration tests): its `debug_traceCall` runs geth-style
 *   JS tracers, so the bundler can check the ERC-7562 validation rules (alto `--safe-mode true`) the
 *   way public bundlers do;
 * - "hardhat": Hardhat's node, which has no JS tracer (the bundler then runs without rule checks).
 * Both use the Hardhat development mnemonic (20 accounts of 10 000 ETH), chain id 31337, and answer
 * the `hardhat_*`/`evm_*` development methods the tests and scripts call (`hardhat_setBalance`,
 * `hardhat_setCode`, `evm_increaseTime`, `evm_mine`, `evm_setNextBlockTimestamp`, `evm_snapshot`).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type ChainKind = "anvil" | "hardhat";

export interface ChainOptions {
  chain: ChainKind;
  host: string;
  port: number;
  mnemonic: string;
  /** The chain's clock starts at this ISO date instead of now. */
  initialDate?: string;
  /** Also mine an (empty) block every this many milliseconds, besides mining each transaction at once. */
  intervalMiningMs?: number;
}

export interface ChainCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A JSON-RPC call to make once the chain answers, or none. */
  afterStart?: { method: string; params: unknown[] };
  /** How the chain is named in messages. */
  label: string;
}

/** anvil's binary from the npm package `@foundry-rs/anvil-<os>-<arch>` (its wrapper's postinstall is not needed). */
export function anvilBinary(root: string): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch ?? process.arch}`;
  const binary = path.join(root, "node_modules", pkg, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  if (!existsSync(binary)) {
    throw new Error(
      `anvil is not installed for this platform (missing ${pkg}): run \`npm install\`, or use chain "hardhat"`,
    );
  }
  return binary;
}

function binOf(root: string, pkg: string, name: string): string {
  const manifest = path.join(root, "node_modules", pkg, "package.json");
  const bin = (JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> }).bin[name]!;
  return path.join(path.dirname(manifest), bin);
}

function unixSeconds(isoDate: string): number {
  const ms = Date.parse(isoDate);
  if (Number.isNaN(ms)) throw new Error(`not a date: "${isoDate}"`);
  return Math.floor(ms / 1000);
}

export function chainCommand(root: string, options: ChainOptions): ChainCommand {
  if (options.chain === "anvil") {
    const args = ["--host", options.host, "--port", String(options.port)];
    args.push("--mnemonic", options.mnemonic, "--accounts", "20", "--balance", "10000", "--chain-id", "31337");
    if (options.initialDate) args.push("--timestamp", String(unixSeconds(options.initialDate)));
    // On anvil, interval mining replaces automining unless mixed mining keeps both.
    if (options.intervalMiningMs) {
      args.push("--block-time", String(options.intervalMiningMs / 1000), "--mixed-mining");
    }
    return { command: anvilBinary(root), args, env: process.env, label: "anvil" };
  }
  const args = [binOf(root, "hardhat", "hardhat")];
  const env = { ...process.env };
  if (options.initialDate) {
    args.push("--config", "scripts/stack/hardhat.node.config.ts", "--network", "custosNode");
    env.CUSTOS_CHAIN_INITIAL_DATE = options.initialDate;
  }
  args.push("node", "--hostname", options.host, "--port", String(options.port));
  return {
    command: process.execPath,
    args,
    env,
    label: "the Hardhat node",
    afterStart: options.intervalMiningMs
      ? { method: "evm_setIntervalMining", params: [options.intervalMiningMs] }
      : undefined,
  };
}
