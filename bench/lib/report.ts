import { writeFileSync } from "node:fs";
import type { AccountGas } from "./scenarios.js";
import type { CustosFlowGas } from "./custosFlows.js";
import type { UserPaidAccount, UserPaidOp, UserPaidResult, UserPaidScenario } from "./userPaid.js";

/** EIP-170: the largest runtime a contract may have. */
export const MAX_RUNTIME_SIZE = 24_576;

/** The shape of bench/gas.json. */
export interface GasReport {
  /** Receipt gasUsed of one-op handleOps bundles (what the bundler pays). */
  accounts: { custos: AccountGas; simpleAccount: AccountGas; solady: AccountGas };
  /** actualGasUsed from the UserOperation receipts, through alto. */
  userPaid: Record<UserPaidAccount, Record<UserPaidScenario, number>>;
  /** actualGasCost (wei, decimal string) of the same operations. */
  userPaidCost: Record<UserPaidAccount, Record<UserPaidScenario, string>>;
  /** Everything read per user-paid operation: limits, nonce key, execution gas, penalty. */
  userPaidDetail: UserPaidResult["run"];
  bundlerMode: UserPaidResult["bundlerMode"];
  custosFlows: CustosFlowGas;
  /** Runtime bytecode sizes in bytes. */
  runtimeSize: { custosAccount: number; simpleAccount: number; soladyAccount: number };
  /** How each account was built. */
  compilers: { custos: string; simpleAccount: string; solady: string };
}

const SCENARIOS: { key: keyof AccountGas; label: string }[] = [
  { key: "deployPlusFirstOp", label: "deploy + first op (ETH transfer)" },
  { key: "ethTransfer", label: "ETH transfer op" },
  { key: "erc20Transfer", label: "ERC-20 transfer op" },
];

const FLOWS: { key: keyof CustosFlowGas; label: string; target?: number }[] = [
  { key: "recoveryPlainTx", label: "recovery 2-of-3, start + execute (plain txs)", target: 100_000 },
  { key: "recoveryUserOps", label: "recovery 2-of-3, start + execute (UserOps)", target: 215_000 },
  { key: "guardianAddition", label: "guardian addition, request + confirm (owner UserOps)" },
  { key: "lock", label: "lock (guardian tx)" },
  { key: "rotationPlainTx", label: "signer rotation, 2-of-3 guardians (owner tx)" },
  { key: "rotationUserOp", label: "signer rotation, 2-of-3 guardians (owner UserOp)" },
];

const ratio = (value: number, base: number) => `${(value / base).toFixed(4)}×`;
const ratioTarget = (verdict: (ok: boolean) => string, value: number, base: number, max: number) =>
  `≤ ${max.toFixed(3)}× — ${verdict(value / base <= max)}`;
const gwei = (wei: string) => (Number(BigInt(wei)) / 1e9).toFixed(0);

function penaltyText({ penalty }: UserPaidOp): string {
  const { min, max } = penalty.unusedGasPenalty;
  return min === max ? String(min) : `${min}–${max}`;
}

/** The comparison as Markdown tables (also readable in a terminal). */
export function formatReport(report: GasReport): string {
  const { custos, simpleAccount, solady } = report.accounts;
  const verdicts: boolean[] = [];
  const verdict = (ok: boolean) => {
    verdicts.push(ok);
    return ok ? "met" : "**missed**";
  };
  const targetOf = (key: keyof AccountGas) =>
    key === "deployPlusFirstOp"
      ? `Custos / Solady ${ratio(custos[key], solady[key])} ${ratioTarget(verdict, custos[key], solady[key], 1.02)}`
      : ratioTarget(verdict, custos[key], simpleAccount[key], 0.995);
  const paid = report.userPaid;
  const userOps: { key: UserPaidScenario; label: string; target: boolean }[] = [
    { key: "deployPlusFirstOp", label: "deploy + first op (ETH transfer)", target: false },
    { key: "ethTransfer", label: "ETH transfer op", target: true },
    { key: "erc20Transfer", label: "ERC-20 transfer op", target: true },
  ];
  const accounts: { key: UserPaidAccount; label: string }[] = [
    { key: "custos", label: "Custos" },
    { key: "simpleAccount", label: "SimpleAccount, key 0" },
    { key: "simpleAccountDefaultNonce", label: "SimpleAccount, default key" },
  ];
  const lines = [
    "Bundle gasUsed (one-op handleOps, Hardhat in-process network):",
    "",
    "| scenario | Custos | SimpleAccount | Solady | Custos / Simple | Solady / Simple | target |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...SCENARIOS.map(
      ({ key, label }) =>
        `| ${label} | ${custos[key]} | ${simpleAccount[key]} | ${solady[key]} | ` +
        `${ratio(custos[key], simpleAccount[key])} | ${ratio(solady[key], simpleAccount[key])} | ${targetOf(key)} |`,
    ),
    "",
    `User pays: actualGasUsed from the UserOperation receipts (alto, ${report.bundlerMode === "safe" ? "safe mode" : "--safe-mode false"}):`,
    "",
    "| operation | Custos | SimpleAccount, key 0 | SimpleAccount, default key | Custos / Simple key 0 | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...userOps.map(({ key, label, target }) => {
      const [c, s, d] = [paid.custos[key], paid.simpleAccount[key], paid.simpleAccountDefaultNonce[key]];
      return `| ${label} | ${c} | ${s} | ${d} | ${ratio(c, s)} | ${target ? ratioTarget(verdict, c, s, 0.995) : "—"} |`;
    }),
    ...userOps
      .filter(
        ({ key }) => new Set(accounts.map(({ key: a }) => report.userPaidDetail[a][key].penalty.prefundPaid)).size > 1,
      )
      .map(
        ({ label }) =>
          `\nWarning: for the ${label}, some accounts paid a prefund and others drew on their deposit (about 8,700 gas apart): that row is not like for like.`,
      ),
    "",
    "Per user-paid operation: actualGasCost, the bundler's limits, and the EntryPoint's 10 % unused-execution-gas penalty:",
    "",
    "| account | operation | actualGasUsed | actualGasCost (gwei) | gas price (wei) | nonce key | prefund paid | verificationGasLimit | callGasLimit | executionGasUsed | penalty |",
    "| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |",
    ...accounts.flatMap(({ key: account, label }) =>
      userOps.map(({ key, label: opLabel }) => {
        const op = report.userPaidDetail[account][key];
        const { min, max } = op.penalty.executionGasUsed;
        return (
          `| ${label} | ${opLabel} | ${op.actualGasUsed} | ${gwei(op.actualGasCost)} | ${op.gasPrice} | ${op.nonceKey} | ` +
          `${op.penalty.prefundPaid ? "yes" : "no (deposit)"} | ` +
          `${op.verificationGasLimit} | ${op.penalty.callGasLimit} | ${min}–${max} | ${penaltyText(op)} |`
        );
      }),
    ),
    "",
    "| Custos flow | gas | target |",
    "| --- | ---: | --- |",
    ...FLOWS.map(({ key, label, target }) => {
      const gas = report.custosFlows[key];
      return `| ${label} | ${gas} | ${target ? `≤ ${target.toLocaleString("en-US")} — ${verdict(gas <= target)}` : "—"} |`;
    }),
    "",
    "| runtime size | bytes | room to 24,576 |",
    "| --- | ---: | ---: |",
    ...(
      [
        ["CustosAccount", report.runtimeSize.custosAccount],
        ["SimpleAccount (published)", report.runtimeSize.simpleAccount],
        ["SoladyAccount", report.runtimeSize.soladyAccount],
      ] as const
    ).map(([name, size]) => `| ${name} | ${size} | ${MAX_RUNTIME_SIZE - size} |`),
    "",
    "Builds:",
    `- Custos: ${report.compilers.custos}`,
    `- SimpleAccount + factory: ${report.compilers.simpleAccount}`,
    `- Solady account + factory: ${report.compilers.solady}`,
    "",
    `Targets of issue 15 met: ${verdicts.filter(Boolean).length} of ${verdicts.length}.`,
  ];
  return lines.join("\n");
}

/** Writes the report as JSON. */
export function writeReport(file: string, report: GasReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
