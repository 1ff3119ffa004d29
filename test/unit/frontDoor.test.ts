/**
 * The client library's front door (issue 13, deliverable 8): eslint.config.js refuses any path into
 * custos/ from app/, scripts/ and server/ other than custos/index.ts, custos/backup/index.ts and
 * custos/node.ts (in the dApp: @custos, @custos/backup, @custos/node). Lints snippets with the
 * project's own configuration, as `npm run lint` does.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const ROOT = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: ROOT });
const FRONT_DOOR_RULES = new Set(["no-restricted-imports", "no-restricted-syntax"]);

/** The front-door messages ESLint gives `code` as if it were the file at `file` (relative to the root). */
async function frontDoorErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  const fatal = result!.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `the snippet for ${file} does not parse`);
  return result!.messages.filter((m) => m.ruleId && FRONT_DOOR_RULES.has(m.ruleId)).map((m) => m.message);
}

async function assertRefused(file: string, code: string, doors: RegExp) {
  const errors = await frontDoorErrors(file, code);
  assert.equal(errors.length, 1, `expected one front-door error for ${file}: ${code}\ngot ${JSON.stringify(errors)}`);
  assert.match(errors[0]!, /only through its front doors/);
  assert.match(errors[0]!, doors);
}

async function assertAllowed(file: string, code: string) {
  assert.deepEqual(await frontDoorErrors(file, code), [], `${file}: ${code}`);
}

const APP_DOORS = /@custos \(custos\/index\.ts\), @custos\/backup \(custos\/backup\/index\.ts\) or @custos\/node/;
const NODE_DOORS = /custos\/index\.js, custos\/backup\/index\.js or custos\/node\.js/;
const APP_FILE = "app/src/components/dashboard/Example.tsx";

describe("the library's front door in the dApp", () => {
  it("refuses a deep relative import, a type-only one and a re-export", async () => {
    await assertRefused(
      APP_FILE,
      'import { readAccountState } from "../../../../custos/state/readAccountState";\nexport const read = readAccountState;\n',
      APP_DOORS,
    );
    await assertRefused(
      APP_FILE,
      'import type { RecoveryBackup } from "../../../../custos/backup/context";\nexport type B = RecoveryBackup;\n',
      APP_DOORS,
    );
    await assertRefused(APP_FILE, 'export { formatDuration } from "../../../../custos/errors";\n', APP_DOORS);
  });

  it("refuses a relative path even to a door: the dApp names the library by its alias", async () => {
    await assertRefused(
      APP_FILE,
      'import { formatDuration } from "../../../../custos/index";\nexport const f = formatDuration;\n',
      APP_DOORS,
    );
  });

  it("refuses an alias deeper than the doors", async () => {
    await assertRefused(
      APP_FILE,
      'import { chainTime } from "@custos/state/chainTime";\nexport const t = chainTime;\n',
      APP_DOORS,
    );
  });

  it("refuses a deep dynamic import", async () => {
    await assertRefused(
      "app/src/lib/lazyExample.ts",
      'export const load = () => import("../../../custos/backup/kit");\n',
      APP_DOORS,
    );
  });

  it("lets the three aliases in, statically and dynamically", async () => {
    await assertAllowed(
      APP_FILE,
      [
        'import { formatDuration, type AccountState } from "@custos";',
        'import { generateMnemonic } from "@custos/backup";',
        'import type { CustosDeployment } from "@custos/node";',
        "export const all = [formatDuration, generateMnemonic] as const;",
        "export type T = [AccountState, CustosDeployment];",
        'export const load = () => import("@custos/backup");',
        "",
      ].join("\n"),
    );
  });
});

describe("the library's front door in scripts/ and server/", () => {
  it("refuses a deep import, a type-only one, a re-export and a dynamic import", async () => {
    await assertRefused(
      "scripts/commands/example.ts",
      'import { readConfig } from "../../custos/state/readConfig.js";\nexport const r = readConfig;\n',
      NODE_DOORS,
    );
    await assertRefused(
      "server/example.ts",
      'import type { CustosDeployment } from "../custos/deployments.js";\nexport type D = CustosDeployment;\n',
      NODE_DOORS,
    );
    await assertRefused(
      "server/alerts/example.ts",
      'export { custosAccountAbi } from "../../custos/generated/abis.js";\n',
      NODE_DOORS,
    );
    await assertRefused(
      "scripts/example.ts",
      'export const load = () => import("../custos/backup/kit.js");\n',
      NODE_DOORS,
    );
  });

  it("refuses the backup folder without its index", async () => {
    await assertRefused(
      "scripts/commands/example.ts",
      'import { parseKit } from "../../custos/backup/format.js";\nexport const p = parseKit;\n',
      NODE_DOORS,
    );
  });

  it("lets the three doors in, and leaves scripts/custos.ts (a file named like the library) alone", async () => {
    await assertAllowed(
      "scripts/commands/example.ts",
      [
        'import { formatDuration } from "../../custos/index.js";',
        'import { parseKit } from "../../custos/backup/index.js";',
        'import { loadDeployment } from "../../custos/node.js";',
        'import { main } from "../custos.js";',
        "export const all = [formatDuration, parseKit, loadDeployment, main];",
        'export const load = () => import("../../custos/backup/index.js");',
        "",
      ].join("\n"),
    );
    await assertAllowed(
      "server/example.ts",
      'import { CustosError } from "../custos/index.js";\nexport const E = CustosError;\n',
    );
  });
});

describe("outside app/, scripts/ and server/", () => {
  it("leaves the library's own files and the tests free to import any module", async () => {
    await assertAllowed(
      "custos/actions/example.ts",
      'import { chainTime } from "../state/chainTime.js";\nexport const t = chainTime;\n',
    );
    await assertAllowed(
      "test/unit/example.test.ts",
      'import { readConfig } from "../../custos/state/readConfig.js";\nexport const r = readConfig;\n',
    );
  });
});
