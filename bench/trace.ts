/**
 * Gas profile of the benchmark scenarios: replays the measured transactions with
 * `debug_traceTransaction` (struct logs) and attributes gas to call frames and to costly opcodes.
 * Run with `hardhat run --no-compile bench/trace.ts [filter]` after `npm run compile`.
 */
import { parseEther } from "viem";
import { DEMO_BOUNDS } from "../custos/deploy/constants.js";
import { deployCustos } from "../custos/deploy/deployCustos.js";
import { custosKind, simpleAccountKind, soladyKind } from "./lib/accounts.js";
import { connectChain, deployArtifact, txLog } from "./lib/chain.js";
import { benchConfig, runCustosFlows } from "./lib/custosFlows.js";
import { profile } from "./lib/profile.js";
import { runAccountScenarios } from "./lib/scenarios.js";

async function main() {
  const bench = await connectChain();
  const deployment = await deployCustos(
    { publicClient: bench.publicClient, walletClient: bench.walletClient },
    { network: "bench", bounds: DEMO_BOUNDS },
  );
  const token = await deployArtifact(bench, "contracts/bench/BenchToken.sol", "BenchToken", [parseEther("1000000")]);
  await runAccountScenarios(bench, "custos", custosKind(bench, deployment.factory, benchConfig), token);
  await runAccountScenarios(bench, "simpleAccount", await simpleAccountKind(bench), token);
  await runAccountScenarios(bench, "solady", await soladyKind(bench), token);
  await runCustosFlows(bench, deployment.factory);
  const filter = process.env.TRACE_FILTER ?? "";
  for (const { what, hash } of txLog) {
    if (what.startsWith("funding") || what === "create" || !what.includes(filter)) continue;
    console.log(await profile(bench, what, hash));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
