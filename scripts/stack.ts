/**
 * `npm start`: the local Custos stack on 127.0.0.1 — a Hardhat node, the contracts (EntryPoint v0.8
 * at its canonical address). Prints URLs and funded dev accounts; Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from "node:child_process";

const children: ChildProcess[] = [];
const CHAIN_PORT = Number(process.env.CUSTOS_CHAIN_PORT ?? 8545);

function run(cmd: string, args: string[], name: string): ChildProcess {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
  children.push(child);
  return child;
}

async function waitForRpc(url: string, timeoutMs: number) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function stopAll() {
  for (const child of children) child.kill("SIGTERM");
}

async function main() {
  process.on("SIGINT", () => {
    stopAll();
    process.exit(0);
  });
  const started = Date.now();
  run("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(CHAIN_PORT)], "chain");
  const rpc = `http://127.0.0.1:${CHAIN_PORT}`;
  await waitForRpc(rpc, 60_000);
  await new Promise<void>((resolve, reject) => {
    const deploy = spawn("npx", ["hardhat", "run", "--network", "localhost", "scripts/deploy.ts"], {
      stdio: "inherit",
    });
    deploy.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`deployment exited with ${code}`))));
  });
  console.log(`\nCustos local stack is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  chain RPC   ${rpc}  (chain id 31337)`);
  console.log("Press Ctrl-C to stop.");
}

main().catch((error: unknown) => {
  console.error(`stack failed: ${error instanceof Error ? error.message : String(error)}`);
  stopAll();
  process.exit(1);
});
