// Unit tests of the mutant generator: `npx tsx --test test/unit/mutation/mutants.test.ts`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyChange, generateMutants, type Mutant, parseSolidity } from "../../../scripts/mutation/mutants.js";

const FILE = "contracts/account/Sample.sol";

function mutantsOf(body: string, prelude = ""): { source: string; mutants: Mutant[] } {
  const source = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Sample {
    event Done(uint256 value);
    error TooLow(uint256 value);
    uint256 internal constant LIMIT = 16;
    uint256 internal constant MASK = 0xff;
    uint256 private stored;
${prelude}
    function f(uint256 a, uint256 b) external returns (uint256 r) {
${body}
    }
}
`;
  return { source, mutants: generateMutants(FILE, source) };
}

function mutated(source: string, mutant: Mutant): string {
  return applyChange(Buffer.from(source), mutant).toString("utf8");
}

/** The mutated line of each mutant, trimmed, keyed by operator. */
function lines(source: string, mutants: Mutant[], operator?: string): string[] {
  return mutants
    .filter((m) => operator === undefined || m.operator === operator)
    .map((m) => mutated(source, m).split("\n")[m.line - 1].trim());
}

describe("mutant generation", () => {
  it("flips each comparison and moves each ordering by one", () => {
    const { source, mutants } = mutantsOf("        if (a < b) r = 1;\n        if (a == b) r = 2;");
    assert.deepEqual(
      mutants.filter((m) => m.operator === "flip" || m.operator === "boundary").map((m) => m.description),
      ["`a < b` → `a >= b`", "`a < b` → `a <= b`", "`a == b` → `a != b`"],
    );
    assert.deepEqual(lines(source, mutants, "flip"), ["if (a >= b) r = 1;", "if (a != b) r = 2;"]);
    assert.deepEqual(lines(source, mutants, "boundary"), ["if (a <= b) r = 1;"]);
  });

  it("swaps && and || and removes a negation", () => {
    const { source, mutants } = mutantsOf("        if (!(a > 1 && b > 2)) r = 1;");
    assert.deepEqual(lines(source, mutants, "logic"), ["if (!(a > 1 || b > 2)) r = 1;"]);
    assert.deepEqual(lines(source, mutants, "negation"), ["if ((a > 1 && b > 2)) r = 1;"]);
  });

  it("removes an `if (…) revert` check whole, semicolon included, and does not also delete its revert", () => {
    const { source, mutants } = mutantsOf(
      "        if (a < LIMIT) revert TooLow(a);\n        if (b < a) {\n            revert TooLow(b);\n        }",
    );
    const checks = mutants.filter((m) => m.operator === "check");
    assert.equal(checks.length, 2);
    assert.deepEqual(lines(source, checks), ["{}", "{}"]);
    assert.equal(
      mutants.some((m) => m.operator === "delete"),
      false,
    );
    for (const m of checks) parseSolidity(FILE, mutated(source, m));
  });

  it("forces the condition of any other `if` to true and to false", () => {
    const { source, mutants } = mutantsOf(
      "        if (a == 0) {\n            return 1;\n        } else {\n            r = 2;\n        }",
    );
    assert.deepEqual(lines(source, mutants, "condition"), ["if (true) {", "if (false) {"]);
  });

  it("deletes assignments, calls, emits and reverts, keeping an unbraced `if` body valid", () => {
    const { source, mutants } = mutantsOf(
      '        stored = a;\n        emit Done(a);\n        require(a != b, "same");\n        if (a > b) stored = b;\n        revert TooLow(b);',
    );
    const deleted = mutants.filter((m) => m.operator === "delete");
    assert.deepEqual(
      deleted.map((m) => m.description),
      [
        "deleted `stored = a`",
        "deleted `emit Done(a)`",
        'deleted `require(a != b, "same")`',
        "deleted `stored = b`",
        "deleted `revert TooLow(b)`",
      ],
    );
    assert.deepEqual(lines(source, deleted), ["{}", "{}", "{}", "if (a > b) {}", "{}"]);
    for (const m of deleted) parseSolidity(FILE, mutated(source, m));
  });

  it("moves decimal bounds and named constants by one, not hexadecimal masks or call arguments", () => {
    const { mutants } = mutantsOf("        if (a > 0) r = (b << 8) & MASK;\n        stored = uint256(7);");
    const constants = mutants.filter((m) => m.operator === "constant");
    assert.deepEqual(
      constants.map((m) => `${m.line}:${m.description}`),
      [
        "6:`LIMIT = 16` → `LIMIT = 17`",
        "6:`LIMIT = 16` → `LIMIT = 15`",
        "11:`a > 0` → `a > 1`",
        "11:`b << 8` → `b << 9`",
        "11:`b << 8` → `b << 7`",
      ],
    );
  });

  it("mutates assembly comparisons and logic, never flipping a comparison already under iszero", () => {
    const { source, mutants } = mutantsOf(
      "        assembly {\n            r := and(lt(a, b), iszero(gt(b, 3)))\n        }",
    );
    assert.deepEqual(
      mutants
        .filter((m) => m.operator.startsWith("asm-"))
        .map((m) => `${m.operator} ${mutated(source, m).split("\n")[m.line - 1].trim()}`),
      [
        "asm-logic r := or(lt(a, b), iszero(gt(b, 3)))",
        "asm-flip r := and(iszero(lt(a, b)), iszero(gt(b, 3)))",
        "asm-boundary r := and(iszero(gt(a, b)), iszero(gt(b, 3)))",
        "asm-negation r := and(lt(a, b), gt(b, 3))",
        "asm-boundary r := and(lt(a, b), iszero(iszero(lt(b, 3))))",
      ],
    );
  });

  it("uses byte offsets, so text with multi-byte characters before the change is intact", () => {
    const { source, mutants } = mutantsOf(
      "        // quorum ⌈(n+1)/2⌉ — strictly more than half\n        if (a < b) r = 1;",
    );
    const [flip] = mutants.filter((m) => m.operator === "flip");
    assert.equal(mutated(source, flip).split("\n")[flip.line - 1].trim(), "if (a >= b) r = 1;");
    assert.match(mutated(source, flip), /⌈\(n\+1\)\/2⌉ — strictly/);
  });

  it("gives each distinct mutated text one mutant, every one of which still parses", () => {
    const { source, mutants } = mutantsOf(
      "        if (a < b && b != 0) { stored = a + 1; emit Done(a); }\n        unchecked { ++stored; }\n        if (a >= LIMIT) revert TooLow(a);\n        assembly { if eq(a, b) { r := iszero(iszero(a)) } }",
    );
    const texts = mutants.map((m) => mutated(source, m));
    assert.equal(new Set(texts).size, texts.length);
    assert.equal(new Set(mutants.map((m) => m.id)).size, mutants.length);
    for (const text of texts) parseSolidity(FILE, text);
  });

  it("names the function or contract each change is in", () => {
    const { mutants } = mutantsOf(
      "        if (a < b) r = 1;",
      "    modifier m() {\n        require(stored != 0);\n        _;\n    }",
    );
    assert.deepEqual([...new Set(mutants.map((m) => m.scope))], ["Sample", "Sample.m", "Sample.f"]);
  });

  it("reports a syntax error as a sentence naming the file", () => {
    assert.throws(() => generateMutants(FILE, "contract {"), /contracts\/account\/Sample\.sol does not parse/);
  });
});
