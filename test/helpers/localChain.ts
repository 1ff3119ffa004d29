import { spawn, type ChildProcess } from "node:child_process";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  parseEther,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { DEMO_BOUNDS } from "../../custos/deploy/constants.js";
import { deployCustos } from "../../custos/deploy/deployCustos.js";
import { readArtifact } from "../../custos/deploy/artifacts.js";
import { getFactoryData, normalizeConfig, predictAccountAddress, type GuardianConfig } from "../../custos/config.js";
import type { CustosDeployment } from "../../custos/deployments.js";
import type { SenderClient } from "../../custos/actions/types.js";

/** Hardhat's first dev account: public, funded with 10 000 ETH on every Hardhat node. */
export const DEV_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export interface LocalChain {
  rpcUrl: string;
  client: PublicClient;
  deployment: CustosDeployment;
  funder: SenderClient;
  wallet(key: Hex | PrivateKeyAccount): SenderClient;
  /** A fresh key funded with 10 ETH. */
  fundedKey(): Promise<PrivateKeyAccount>;
  fund(address: Address, ether?: string): Promise<void>;
  /** Moves the chain's clock forward and mines a block. */
  increaseTime(seconds: number | bigint): Promise<void>;
  /** Creates an account through the factory with a plain transaction. */
  createAccount(owner: Address, config: GuardianConfig, salt?: bigint): Promise<Address>;
  deployArtifact(sourcePath: string, name: string, args?: readonly unknown[]): Promise<Address>;
  stop(): Promise<void>;
}

export const DEMO_DELAYS = { recoveryDelay: 120n, securityPeriod: 30n, securityWindow: 60n, lockPeriod: 300n };

export function demoConfig(guardians: readonly Address[], threshold: number): GuardianConfig {
  return normalizeConfig({ guardians, threshold, ...DEMO_DELAYS });
}

async function waitForRpc(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Starts `hardhat node` on `port`, deploys Custos with the demo bounds through the real deployment path. */
export async function startLocalChain(port: number): Promise<LocalChain> {
  const child = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    stdio: "ignore",
    detached: true,
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name); // the whole group: npx and the node it started
      } catch {
        // already gone
      }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
    signal("SIGKILL");
  };
  try {
    await waitForRpc(rpcUrl, child);
  } catch (error) {
    await stop();
    throw error;
  }
  const chain = defineChain({
    id: 31337,
    name: "hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const client = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50 }) as PublicClient;
  const wallet = (key: Hex | PrivateKeyAccount): SenderClient =>
    createWalletClient({
      account: typeof key === "string" ? privateKeyToAccount(key) : key,
      chain,
      transport: http(rpcUrl),
    });
  const funder = wallet(DEV_KEY);
  const deployment = await deployCustos(
    { publicClient: client, walletClient: funder },
    {
      network: `test-${port}`,
      bounds: DEMO_BOUNDS,
    },
  );
  // One funder, one nonce sequence: transfers are queued so parallel callers never collide.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  const fund = (address: Address, ether = "10") =>
    serial(async () => {
      const hash = await funder.sendTransaction({ to: address, value: parseEther(ether), chain });
      await client.waitForTransactionReceipt({ hash });
    });
  return {
    rpcUrl,
    client,
    deployment,
    funder,
    wallet,
    fund,
    async fundedKey() {
      const account = privateKeyToAccount(generatePrivateKey());
      await fund(account.address);
      return account;
    },
    async increaseTime(seconds) {
      await client.request({ method: "evm_increaseTime" as "eth_chainId", params: [Number(seconds)] as never });
      await client.request({ method: "evm_mine" as "eth_chainId", params: [] as never });
    },
    async createAccount(owner, config, salt = 0n) {
      await serial(async () => {
        const hash = await funder.sendTransaction({
          to: deployment.factory,
          data: getFactoryData(owner, config, salt),
          chain,
        });
        await client.waitForTransactionReceipt({ hash });
      });
      return predictAccountAddress(client, deployment.factory, owner, config, salt);
    },
    async deployArtifact(sourcePath, name, args = []) {
      const artifact = readArtifact(sourcePath, name);
      return serial(async () => {
        const hash = await funder.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args, chain });
        const receipt = await client.waitForTransactionReceipt({ hash });
        return getAddress(receipt.contractAddress!);
      });
    },
    stop,
  };
}
