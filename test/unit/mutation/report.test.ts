// Unit tests of the report: `npx tsx --test test/unit/mutation/report.test.ts`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Outcome } from "../../../scripts/mutation/evaluate.js";
import type { Mutant } from "../../../scripts/mutation/mutants.js";
import { formatReport, formatScore, judgement } from "../../../scripts/mutation/report.js";

const mutant = (line: number, scope: string): Mutant => ({
  id: `m${line}`,
  file: "contracts/account/A.sol",
  line,
  scope,
  operator: "delete",
  description: "deleted `x = 1`",
  context: "x = 1;",
  start: line,
  end: line + 1,
  replacement: "{}",
});
const outcome = (m: Mutant, status: Outcome["status"], detail = ""): Outcome => ({ mutant: m, status, detail, ms: 1 });

describe("mutation report", () => {
  it("scores killed over killed plus survived, leaving stillborn and equivalent mutants out", () => {
    const outcomes = [
      outcome(mutant(1, "A.f"), "killed", "S1 › a test"),
      outcome(mutant(2, "A.f"), "killed", "timeout: the Mocha tests ran over 120 s"),
      outcome(mutant(3, "A.f"), "survived"),
      outcome(mutant(4, "A.f"), "stillborn"),
      outcome(mutant(5, "A.f"), "equivalent"),
    ];
    assert.equal(formatScore(outcomes), "mutation score: 66.7% (killed 2 of 3)");
    const report = formatReport(outcomes, []);
    assert.match(report.join("\n"), /1 by a timeout/);
    assert.match(report.join("\n"), /1 stillborn .* 1 equivalent/);
    assert.match(report.join("\n"), /contracts\/account\/A\.sol:3 \(A\.f\) {2}delete: deleted `x = 1`/);
  });

  it("matches a judged equivalent on file, function, line text and mutation, not on the same line elsewhere", () => {
    const judged = [
      { file: "contracts/account/A.sol", scope: "A.f", context: "x = 1;", mutation: "deleted `x = 1`", reason: "r" },
    ];
    assert.equal(judgement(mutant(9, "A.f"), judged)?.reason, "r");
    assert.equal(judgement(mutant(9, "A.g"), judged), undefined);
    const report = formatReport([outcome(mutant(9, "A.f"), "killed"), outcome(mutant(10, "A.f"), "survived")], judged);
    assert.match(report.join("\n"), /judged equivalent: r/);
    assert.match(report.join("\n"), /without them: 100\.0% \(killed 1 of 1\)/);
  });
});
