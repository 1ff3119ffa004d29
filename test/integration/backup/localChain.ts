import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, defineChain, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEMO_BOUNDS } from "../../../custos/deploy/constants.js";
import { deployCustos } from "../../../custos/deploy/deployCustos.js";
import type { CustosDeployment } from "../../../custos/deployments.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** Hardhat's first development account (publicly known key, local chains only). */
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export interface LocalChain {
  url: string;
  publicClient: PublicClient;
  walletClient: ReturnType<typeof makeWalletClient>;
  deployment: CustosDeployment;
  stop(): Promise<void>;
}

function makeWalletClient(url: string) {
  const chain = defineChain({
    id: 31337,
    name: "hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
  return createWalletClient({ account: privateKeyToAccount(DEV_KEY), chain, transport: http(url) });
}

/** Starts `hardhat node` on `port`, waits for it and deploys Custos with the demo delay bounds. */
export async function startLocalChain(port: number): Promise<LocalChain> {
  const url = `http://127.0.0.1:${port}`;
  const node: ChildProcess = spawn(
    path.join(ROOT, "node_modules/.bin/hardhat"),
    ["node", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: ROOT, stdio: "ignore", detached: false },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (node.exitCode !== null) return resolve();
      node.once("exit", () => resolve());
      node.kill("SIGTERM");
    });
  try {
    const publicClient = createPublicClient({ transport: http(url, { retryCount: 0 }) }) as PublicClient;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await publicClient.getChainId();
        break;
      } catch (error) {
        if (node.exitCode !== null) throw new Error(`hardhat node exited with ${node.exitCode}`, { cause: error });
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const walletClient = makeWalletClient(url);
    const deployment = await deployCustos(
      { publicClient, walletClient },
      { network: `backup-test-${port}`, bounds: DEMO_BOUNDS },
    ).catch((error: unknown) => {
      // A coverage run can leave instrumented (oversized) artifacts behind; say how to recover.
      throw new Error("deploying Custos on the test node failed; if artifacts are stale, run `npm run compile`", {
        cause: error,
      });
    });
    return { url, publicClient, walletClient, deployment, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
