/**
 * Gas benchmark: Custos next to SimpleAccount (eth-infinitism v0.8) and Solady's ERC4337 on one
 * EntryPoint v0.8 at its canonical address, in Hardhat's in-process network. Every scenario is a
 * one-op handleOps bundle sent by a funded EOA (also the beneficiary); the figure is the receipt's
 * gasUsed. Prints a table and writes bench/gas.json. Run with `npm run bench:gas`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEther } from "viem";
import { DEMO_BOUNDS } from "../custos/deploy/constants.js";
import { deployCustos } from "../custos/deploy/deployCustos.js";
import { custosKind, simpleAccountKind, soladyKind } from "./lib/accounts.js";
import { connectChain, deployArtifact } from "./lib/chain.js";
import { benchConfig, runCustosFlows } from "./lib/custosFlows.js";
import { formatReport, writeReport, type GasReport } from "./lib/report.js";
import { runAccountScenarios } from "./lib/scenarios.js";

async function main() {
  const bench = await connectChain();
  const deployment = await deployCustos(
    { publicClient: bench.publicClient, walletClient: bench.walletClient },
    { network: "bench", bounds: DEMO_BOUNDS },
  );
  const token = await deployArtifact(bench, "contracts/bench/BenchToken.sol", "BenchToken", [parseEther("1000000")]);

  const report: GasReport = {
    accounts: {
      custos: await runAccountScenarios(bench, "custos", custosKind(bench, deployment.factory, benchConfig), token),
      simpleAccount: await runAccountScenarios(bench, "simpleAccount", await simpleAccountKind(bench), token),
      solady: await runAccountScenarios(bench, "solady", await soladyKind(bench), token),
    },
    custosFlows: await runCustosFlows(bench, deployment.factory),
  };

  console.log(formatReport(report));
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "gas.json");
  writeReport(file, report);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  const short = (error as { shortMessage?: string }).shortMessage;
  console.error(`bench failed: ${short ?? (error instanceof Error ? error.stack : String(error))}`);
  process.exitCode = 1;
});
