import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { readArtifact } from "../../../../custos/deploy/artifacts.js";
import type { SenderClient } from "../../../../custos/actions/types.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const ANVIL_BIN = path.join(root, "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");

/** Anvil's (and Hardhat's) first development key: public, funded with 10 000 ETH. */
export const ANVIL_DEV_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export interface Anvil {
  rpcUrl: string;
  chain: Chain;
  /** A client straight to the chain (the tests' own reads and writes, not what is measured). */
  client: PublicClient;
  funder: SenderClient;
  wallet(key: PrivateKeyAccount, rpcUrl?: string): SenderClient;
  /** Mines `blocks` empty blocks at once (anvil_mine). */
  mine(blocks: number): Promise<void>;
  deployArtifact(sourcePath: string, name: string, args?: readonly unknown[]): Promise<Address>;
  stop(): Promise<void>;
}

export function chainOf(id: number, rpcUrl: string): Chain {
  return defineChain({
    id,
    name: `anvil-${id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

async function answers(rpcUrl: string): Promise<boolean> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts anvil on 127.0.0.1:`port` with `chainId`, automining. */
export async function startAnvil({ port, chainId = 31337 }: { port: number; chainId?: number }): Promise<Anvil> {
  const rpcUrl = `http://127.0.0.1:${port}`;
  if (await answers(rpcUrl)) throw new Error(`port ${port} is taken by another node: stop it first`);
  const child = spawn(
    ANVIL_BIN,
    // No EIP-170 size check: these tests are about reads and deployments, and the account's size is the
    // contracts' business (the rest of the suite runs on Hardhat's node, which does not check it either).
    [
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--chain-id",
      String(chainId),
      "--silent",
      "--disable-code-size-limit",
    ],
    { stdio: "ignore", detached: true },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode} (is port ${port} free?)`);
    if (await answers(rpcUrl)) break;
    if (Date.now() - started > 30_000) {
      await stop();
      throw new Error(`anvil on port ${port} did not answer within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const chain = chainOf(chainId, rpcUrl);
  const client = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50 }) as PublicClient;
  const wallet = (key: PrivateKeyAccount, url = rpcUrl): SenderClient =>
    createWalletClient({ account: key, chain, transport: http(url) });
  const funder = wallet(privateKeyToAccount(ANVIL_DEV_KEY));
  return {
    rpcUrl,
    chain,
    client,
    funder,
    wallet,
    async mine(blocks) {
      // Plain fetch: mining thousands of blocks takes longer than viem's 10 s request timeout.
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_mine", params: [`0x${blocks.toString(16)}`] }),
      });
      const body = (await res.json()) as { error?: { message: string } };
      if (body.error) throw new Error(`anvil_mine failed: ${body.error.message}`);
    },
    async deployArtifact(sourcePath, name, args = []) {
      const artifact = readArtifact(sourcePath, name);
      const hash = await funder.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args, chain });
      const receipt = await client.waitForTransactionReceipt({ hash });
      return getAddress(receipt.contractAddress!);
    },
    stop,
  };
}
