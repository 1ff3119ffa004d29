/**
 * Gas benchmark: Custos next to SimpleAccount v0.8 (eth-infinitism's published build) and Solady's
 * ERC4337 on one EntryPoint v0.8 at its canonical address.
 * 1. Bundle gasUsed: one-op handleOps bundles sent by a funded EOA in Hardhat's in-process network.
 * 2. User pays: the same transfers through a real bundler (alto, local stack), actualGasUsed and
 *    actualGasCost from the UserOperation receipts.
 * 3. Custos-only flows (recovery, guardian change, lock, rotation).
 * Prints the tables against the targets and writes bench/gas.json. Run with `npm run bench:gas`.
 * Ports of the user-paid stack: BENCH_CHAIN_PORT (default 8691), BENCH_BUNDLER_PORT (default 4411).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEther } from "viem";
import { DEMO_BOUNDS } from "../custos/deploy/constants.js";
import { deployCustos } from "../custos/deploy/deployCustos.js";
import {
  CUSTOS_ACCOUNT,
  custosKind,
  simpleAccountKind,
  SOLADY_ACCOUNT,
  SOLADY_FACTORY,
  soladyKind,
} from "./lib/accounts.js";
import { compilerSettings, runtimeSize } from "./lib/builds.js";
import { connectChain, deployArtifact } from "./lib/chain.js";
import { benchConfig, runCustosFlows } from "./lib/custosFlows.js";
import { formatReport, writeReport, type GasReport } from "./lib/report.js";
import { runAccountScenarios } from "./lib/scenarios.js";
import { runUserPaid, type UserPaidRun } from "./lib/userPaid.js";

function pick<T>(run: UserPaidRun, value: (op: UserPaidRun["custos"]["ethTransfer"]) => T) {
  const of = (account: UserPaidRun["custos"]) => ({
    deployPlusFirstOp: value(account.deployPlusFirstOp),
    ethTransfer: value(account.ethTransfer),
    erc20Transfer: value(account.erc20Transfer),
  });
  return {
    custos: of(run.custos),
    simpleAccount: of(run.simpleAccount),
    simpleAccountDefaultNonce: of(run.simpleAccountDefaultNonce),
  };
}

async function main() {
  const started = performance.now();
  const bench = await connectChain();
  const deployment = await deployCustos(
    { publicClient: bench.publicClient, walletClient: bench.walletClient },
    { network: "bench", bounds: DEMO_BOUNDS },
  );
  const token = await deployArtifact(bench, "contracts/bench/BenchToken.sol", "BenchToken", [parseEther("1000000")]);

  const accounts = {
    custos: await runAccountScenarios(bench, "custos", custosKind(bench, deployment.factory, benchConfig), token),
    simpleAccount: await runAccountScenarios(bench, "simpleAccount", await simpleAccountKind(bench), token),
    solady: await runAccountScenarios(bench, "solady", await soladyKind(bench), token),
  };
  const custosFlows = await runCustosFlows(bench, deployment.factory);
  const userPaid = await runUserPaid({
    chain: Number(process.env.BENCH_CHAIN_PORT ?? 8691),
    bundler: Number(process.env.BENCH_BUNDLER_PORT ?? 4411),
  });

  const report: GasReport = {
    accounts,
    userPaid: pick(userPaid.run, (op) => op.actualGasUsed),
    userPaidCost: pick(userPaid.run, (op) => op.actualGasCost),
    userPaidDetail: userPaid.run,
    bundlerMode: userPaid.bundlerMode,
    custosFlows,
    runtimeSize: {
      custosAccount: runtimeSize(CUSTOS_ACCOUNT),
      simpleAccount: runtimeSize({ published: "SimpleAccount" }),
      soladyAccount: runtimeSize(SOLADY_ACCOUNT),
    },
    compilers: {
      custos: compilerSettings(CUSTOS_ACCOUNT.artifact, CUSTOS_ACCOUNT.name),
      simpleAccount:
        "published @account-abstraction/contracts 0.8.0 artifacts, deployed as shipped " +
        "(solc 0.8.28 per their metadata, viaIR, optimizer 1,000,000 runs)",
      solady: `${compilerSettings(SOLADY_ACCOUNT.artifact, SOLADY_ACCOUNT.name)} (factory: ${compilerSettings(SOLADY_FACTORY.artifact, SOLADY_FACTORY.name)})`,
    },
  };

  console.log(formatReport(report));
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "gas.json");
  writeReport(file, report);
  console.log(
    `\nwritten to ${path.relative(process.cwd(), file)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error: unknown) => {
  const short = (error as { shortMessage?: string }).shortMessage;
  console.error(`bench failed: ${short ?? (error instanceof Error ? error.stack : String(error))}`);
  if (process.env.BENCH_DEBUG) console.error(error);
  process.exitCode = 1;
});
