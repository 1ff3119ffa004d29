import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";

const DIR = new URL("../../../custos/backup/", import.meta.url);

describe("the backup library runs in the browser", () => {
  it("imports no Node built-in outside the Node-only helper file", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".ts") && f !== "node.ts");
    assert.ok(files.length > 5);
    for (const f of files) {
      const source = readFileSync(new URL(f, DIR), "utf8");
      assert.doesNotMatch(source, /from "node:|require\(|process\.|Buffer\./, f);
    }
  });

  it("the index does not re-export the Node-only helpers", () => {
    assert.doesNotMatch(readFileSync(new URL("index.ts", DIR), "utf8"), /node\.js/);
  });
});
