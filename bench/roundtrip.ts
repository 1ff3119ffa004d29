/**
 * UserOperation round trip through the local stack's real bundler: median over 20 ETH transfers of
 * the time from "send" (prepare, estimate, sign, submit) to the receipt, and of submit → receipt alone;
 * plus the stack's start-up time. Prints figures; not a test.
 * Run: bash scripts/node22.sh tsx bench/roundtrip.ts   (ports: BENCH_CHAIN_PORT 8691, BENCH_BUNDLER_PORT 4411)
 */
import { createPublicClient, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createWalletClient } from "viem";
import { normalizeConfig } from "../custos/config.js";
import { DEMO_BOUNDS } from "../custos/deploy/constants.js";
import { createCustosBundlerClient } from "../custos/smartAccount/bundler.js";
import { toCustosSmartAccount } from "../custos/smartAccount/toCustosSmartAccount.js";
import { assertIncluded, runUserOperation } from "../custos/userop/lifecycle.js";
import { startStack } from "../scripts/stack/startStack.js";

const TRANSFERS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main() {
  const stack = await startStack({
    chainPort: Number(process.env.BENCH_CHAIN_PORT ?? 8691),
    bundlerPort: Number(process.env.BENCH_BUNDLER_PORT ?? 4411),
    logs: process.env.CUSTOS_STACK_LOGS ?? "ignore",
  });
  try {
    const client = createPublicClient({ chain: stack.chain, transport: http(stack.rpcUrl), pollingInterval: 100 });
    const owner = privateKeyToAccount(generatePrivateKey());
    const config = normalizeConfig({
      guardians: [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()).address),
      threshold: 2,
      recoveryDelay: DEMO_BOUNDS.minRecoveryDelay,
      securityPeriod: DEMO_BOUNDS.minSecurityPeriod,
      securityWindow: DEMO_BOUNDS.minSecurityWindow,
      lockPeriod: DEMO_BOUNDS.minLockPeriod,
    });
    const account = await toCustosSmartAccount({ client, owner, factory: stack.deployment.factory, config });
    const funder = createWalletClient({
      chain: stack.chain,
      transport: http(stack.rpcUrl),
      account: privateKeyToAccount(stack.devAccounts[0]!.privateKey),
    });
    await client.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: account.address, value: parseEther("10") }),
    });
    const bundlerClient = createCustosBundlerClient({ client, account, bundlerUrl: stack.bundlerUrl });
    const recipient = privateKeyToAccount(generatePrivateKey()).address;

    const timed = async () => {
      const start = performance.now();
      let submittedAt = start;
      const final = await runUserOperation({
        bundlerClient,
        calls: [{ to: recipient, value: parseEther("0.001") }],
        pollIntervalMs: 20,
        onState: (state) => {
          if (state.status === "submitted" && submittedAt === start) submittedAt = performance.now();
        },
      });
      assertIncluded(final);
      const end = performance.now();
      return { total: end - start, afterSubmit: end - submittedAt };
    };

    const creation = await timed();
    const totals: number[] = [];
    const afterSubmit: number[] = [];
    for (let i = 0; i < TRANSFERS; i++) {
      const t = await timed();
      totals.push(t.total);
      afterSubmit.push(t.afterSubmit);
    }
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    console.log("Custos UserOperation round trip (local Hardhat node + alto 0.0.20)");
    const { chainMs, contractsMs, bundlerMs } = stack.timings;
    console.log(`  stack start-up (chain + contracts + bundler)   ${(stack.startupMs / 1000).toFixed(2)} s`);
    console.log(`    chain ${ms(chainMs)}, contracts ${ms(contractsMs)}, bundler ${ms(bundlerMs)}`);
    console.log(`  account creation + first transfer              ${ms(creation.total)}`);
    console.log(`  ETH transfer, send → receipt, median of ${TRANSFERS}    ${ms(median(totals))}`);
    console.log(`    min ${ms(Math.min(...totals))}, max ${ms(Math.max(...totals))}`);
    console.log(`  ETH transfer, submitted → receipt, median      ${ms(median(afterSubmit))}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
