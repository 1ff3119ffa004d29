// Compiles and tests one mutant in a workspace: compile (a failure is a stillborn mutant), compare the
// build with the unmutated one (identical code is an equivalent mutant), then the Mocha contract
// tests with --bail, then, only if they all pass, the Solidity (fuzz) tests.
import { applyChange, type Mutant } from "./mutants.js";
import type { ProcessResult, Workspace } from "./workspace.js";

export type Status = "killed" | "survived" | "stillborn" | "equivalent";

export interface Outcome {
  mutant: Mutant;
  status: Status;
  /** For a killed mutant: the first failing test, "timeout (…)" or "solidity tests"; else a note. */
  detail: string;
  ms: number;
}

export interface Baseline {
  fingerprint: string;
  compileMs: number;
  mochaMs: number;
  solidityMs: number;
}

export interface Limits {
  compileMs: number;
  mochaMs: number;
  solidityMs: number;
}

// A mutant's build skips the Solidity tests and the typechain types (neither is needed by the Mocha
// tests); the Solidity tests are compiled only for the few mutants the Mocha tests leave alive.
const COMPILE = ["--no-typechain", "compile", "--quiet", "--no-tests"];
const MOCHA = ["test", "mocha", "--no-compile", "--bail"];
const SOLIDITY = ["--no-typechain", "test", "solidity"];
/** Generous limits for the unmutated run, which sets the per-mutant limits. */
const BASELINE_LIMIT_MS = 15 * 60_000;

/** Compiles and tests the unmutated contracts; throws if they do not compile or a test fails. */
export async function runBaseline(workspace: Workspace, withTests: boolean): Promise<Baseline> {
  // A full compile with typechain, as `npm run compile` would: the tests import its types.
  const compile = await workspace.hardhat(["compile", "--quiet"], BASELINE_LIMIT_MS);
  if (compile.code !== 0) {
    throw new Error(`the unmutated contracts do not compile: ${firstErrorLine(compile)}`);
  }
  const baseline = { fingerprint: workspace.fingerprint(), compileMs: compile.ms, mochaMs: 0, solidityMs: 0 };
  if (!withTests) return baseline;
  const mocha = await workspace.hardhat(MOCHA, BASELINE_LIMIT_MS);
  if (mocha.code !== 0) {
    throw new Error(
      `the contract tests fail without any mutation: ${firstFailingTest(mocha) ?? firstErrorLine(mocha)}`,
    );
  }
  const solidity = await workspace.hardhat([...SOLIDITY, "--no-compile"], BASELINE_LIMIT_MS);
  if (solidity.code !== 0) {
    throw new Error(`the Solidity tests fail without any mutation: ${firstErrorLine(solidity)}`);
  }
  return { ...baseline, mochaMs: mocha.ms, solidityMs: solidity.ms };
}

export async function evaluate(
  workspace: Workspace,
  mutant: Mutant,
  baseline: Baseline,
  limits: Limits,
): Promise<Outcome> {
  const started = Date.now();
  const done = (status: Status, detail: string): Outcome => ({ mutant, status, detail, ms: Date.now() - started });
  workspace.write(mutant.file, applyChange(workspace.read(mutant.file), mutant));
  try {
    const compile = await workspace.hardhat(COMPILE, limits.compileMs);
    if (compile.timedOut) return done("stillborn", `compilation took over ${seconds(limits.compileMs)}`);
    if (compile.code !== 0) return done("stillborn", firstErrorLine(compile));
    if (workspace.fingerprint() === baseline.fingerprint) return done("equivalent", "same bytecode as the original");

    const mocha = await workspace.hardhat(MOCHA, limits.mochaMs);
    if (mocha.timedOut) return done("killed", `timeout: the Mocha tests ran over ${seconds(limits.mochaMs)}`);
    if (mocha.code !== 0) return done("killed", firstFailingTest(mocha) ?? firstErrorLine(mocha));

    const solidity = await workspace.hardhat(SOLIDITY, limits.solidityMs);
    if (solidity.timedOut) return done("killed", `timeout: the Solidity tests ran over ${seconds(limits.solidityMs)}`);
    if (solidity.code !== 0) return done("killed", `Solidity test ${firstFailingSolidityTest(solidity)}`);
    return done("survived", "");
  } finally {
    workspace.restore();
  }
}

/** "Suite › test title: first error line" of the first failure in Mocha's summary. */
export function firstFailingTest(result: Pick<ProcessResult, "output">): string | undefined {
  const failing = /^ +\d+ failing$/m.exec(result.output);
  if (!failing) return undefined;
  const lines = result.output.slice(failing.index).split("\n").slice(1);
  const first = lines.findIndex((line) => /^ +1\) /.test(line));
  if (first < 0) return undefined;
  const titles: string[] = [];
  let i = first;
  for (; i < lines.length && titles.length < 20; i++) {
    const title = lines[i].trim().replace(/^1\) /, "");
    if (title.endsWith(":")) {
      titles.push(title.slice(0, -1));
      break;
    }
    titles.push(title);
  }
  const error = lines.slice(i + 1).find((line) => line.trim() !== "");
  return `${titles.join(" › ")}${error ? `: ${abbreviate(error.trim(), 100)}` : ""}`;
}

function firstFailingSolidityTest(result: ProcessResult): string {
  return /(?:✘|\[FAIL\]|✖)\s*(.+)/.exec(result.output)?.[1].trim() ?? "failed";
}

function firstErrorLine(result: ProcessResult): string {
  const lines = result.output.split("\n").map((l) => l.trim());
  return abbreviate(lines.find((l) => /error/i.test(l)) ?? lines.find(Boolean) ?? `exit code ${result.code}`, 160);
}

function abbreviate(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
