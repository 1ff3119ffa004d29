// The final report: score, survivors (with any reason recorded in equivalent.json), timings.
import { existsSync, readFileSync } from "node:fs";
import type { Outcome } from "./evaluate.js";
import type { Mutant } from "./mutants.js";

/** A survivor a reviewer judged equivalent; matched on file, function, source line and mutation, not line number. */
export interface JudgedEquivalent {
  file: string;
  scope: string;
  context: string;
  mutation: string;
  reason: string;
}

export function loadJudgedEquivalents(file: string): JudgedEquivalent[] {
  if (!existsSync(file)) return [];
  const list = JSON.parse(readFileSync(file, "utf8")) as JudgedEquivalent[];
  if (!Array.isArray(list) || list.some((e) => !e.file || !e.scope || !e.context || !e.mutation || !e.reason)) {
    throw new Error(`${file}: expected an array of { file, scope, context, mutation, reason }`);
  }
  return list;
}

export function judgement(mutant: Mutant, judged: JudgedEquivalent[]): JudgedEquivalent | undefined {
  return judged.find(
    (j) =>
      j.file === mutant.file &&
      j.scope === mutant.scope &&
      j.context === mutant.context &&
      j.mutation === mutant.description,
  );
}

export function score(outcomes: Outcome[]): { killed: number; total: number; percent: number } {
  const killed = outcomes.filter((o) => o.status === "killed").length;
  const total = killed + outcomes.filter((o) => o.status === "survived").length;
  return { killed, total, percent: total === 0 ? 100 : (100 * killed) / total };
}

export function formatScore(outcomes: Outcome[]): string {
  const { killed, total, percent } = score(outcomes);
  return `mutation score: ${total === 0 ? "n/a" : `${percent.toFixed(1)}%`} (killed ${killed} of ${total})`;
}

export function formatReport(outcomes: Outcome[], judged: JudgedEquivalent[]): string[] {
  const count = (predicate: (o: Outcome) => boolean) => outcomes.filter(predicate).length;
  const survivors = outcomes
    .filter((o) => o.status === "survived")
    .sort((a, b) => a.mutant.file.localeCompare(b.mutant.file) || a.mutant.start - b.mutant.start);
  const lines = [
    formatScore(outcomes),
    `  killed ${count((o) => o.status === "killed")}: ${count((o) => o.detail.startsWith("timeout"))} by a timeout, ` +
      `${count((o) => o.detail.startsWith("Solidity test"))} only by the Solidity tests; survived ${survivors.length}`,
    `  not counted: ${count((o) => o.status === "stillborn")} stillborn (do not compile), ` +
      `${count((o) => o.status === "equivalent")} equivalent (same bytecode as the original)`,
  ];
  const judgedSurvivors = survivors.filter((o) => judgement(o.mutant, judged));
  if (judgedSurvivors.length > 0) {
    const { killed, total } = score(outcomes);
    const rest = total - judgedSurvivors.length;
    lines.push(
      `  ${judgedSurvivors.length} survivors judged equivalent in equivalent.json; without them: ` +
        `${rest === 0 ? "n/a" : `${((100 * killed) / rest).toFixed(1)}%`} (killed ${killed} of ${rest})`,
    );
  }
  if (survivors.length === 0) return [...lines, "survivors: none"];
  lines.push(`survivors (${survivors.length}):`);
  for (const { mutant } of survivors) {
    lines.push(`  ${mutant.file}:${mutant.line} (${mutant.scope})  ${mutant.operator}: ${mutant.description}`);
    lines.push(`      ${mutant.context}`);
    const judged_ = judgement(mutant, judged);
    if (judged_) lines.push(`      judged equivalent: ${judged_.reason}`);
  }
  return lines;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}
