import { writeFileSync } from "node:fs";
import type { AccountGas } from "./scenarios.js";
import type { CustosFlowGas } from "./custosFlows.js";

/** The shape of bench/gas.json. */
export interface GasReport {
  accounts: { custos: AccountGas; simpleAccount: AccountGas; solady: AccountGas };
  custosFlows: CustosFlowGas;
}

const SCENARIOS: { key: keyof AccountGas; label: string }[] = [
  { key: "deployPlusFirstOp", label: "deploy + first op (ETH transfer)" },
  { key: "ethTransfer", label: "ETH transfer op" },
  { key: "erc20Transfer", label: "ERC-20 transfer op" },
];

const FLOWS: { key: keyof CustosFlowGas; label: string }[] = [
  { key: "recoveryPlainTx", label: "recovery 2-of-3, start + execute (plain txs)" },
  { key: "recoveryUserOps", label: "recovery 2-of-3, start + execute (UserOps)" },
  { key: "guardianAddition", label: "guardian addition, request + confirm (owner UserOps)" },
  { key: "lock", label: "lock (guardian tx)" },
  { key: "rotationPlainTx", label: "signer rotation, 2-of-3 guardians (owner tx)" },
  { key: "rotationUserOp", label: "signer rotation, 2-of-3 guardians (owner UserOp)" },
];

const ratio = (value: number, base: number) => `${(value / base).toFixed(3)}×`;

/** The comparison as a Markdown table (also readable in a terminal). */
export function formatReport(report: GasReport): string {
  const { custos, simpleAccount, solady } = report.accounts;
  const lines = [
    "| scenario | Custos | SimpleAccount | Solady | Custos / Simple | Solady / Simple |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...SCENARIOS.map(
      ({ key, label }) =>
        `| ${label} | ${custos[key]} | ${simpleAccount[key]} | ${solady[key]} | ` +
        `${ratio(custos[key], simpleAccount[key])} | ${ratio(solady[key], simpleAccount[key])} |`,
    ),
    "",
    "| Custos flow | gas |",
    "| --- | ---: |",
    ...FLOWS.map(({ key, label }) => `| ${label} | ${report.custosFlows[key]} |`),
  ];
  return lines.join("\n");
}

/** Writes the report as JSON, numbers only. */
export function writeReport(file: string, report: GasReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
