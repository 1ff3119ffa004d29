import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `custos` as a user would, with only the environment given (keys never come from the test's own env). */
export function runCli(args: string[], env: Record<string, string>, endpoints: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/custos.ts", ...args, ...endpoints], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Asserts success and returns the result. */
export function assertSucceeds(result: CliResult): CliResult {
  assert.equal(result.code, 0, `exit code (stderr: ${result.stderr})`);
  return result;
}

/** Asserts a failure: non-zero exit and exactly one line `custos: <sentence>` on stderr. */
export function assertFails(result: CliResult, message: RegExp, code = 1) {
  assert.equal(result.code, code, `exit code (stderr: ${result.stderr})`);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${result.stderr}`);
  assert.match(lines[0]!, /^custos: /);
  assert.match(lines[0]!, message);
}
