import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { VECTOR_1 } from "../../unit/backup/fixtures/vectors.js";

const CHROMIUM = process.env.CUSTOS_CHROMIUM ?? "/usr/bin/chromium";
const ENTRY = fileURLToPath(new URL("../../../custos/backup/index.ts", import.meta.url));
const KIT_1 = readFileSync(new URL("../../unit/backup/fixtures/vector-1.custos-kit.json", import.meta.url), "utf8");

type Lib = typeof import("../../../custos/backup/index.js");
declare const CustosBackup: Lib;

describe("the backup library in Chromium", { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    const bundle = await build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "CustosBackup",
      write: false,
      logLevel: "silent",
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    page = await browser.newPage();
    await page.setContent("<!doctype html><title>backup</title>");
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  });

  after(async () => {
    await browser?.close();
  });

  it("decrypts test vector 1 and derives its owner, with the scrypt key taking at least 250 ms", async (t) => {
    const result = await page.evaluate(
      async ([kit, password]) => {
        const start = performance.now();
        const parsed = CustosBackup.parseKit(kit);
        const key = await CustosBackup.deriveKitKey(parsed, password);
        const kdfMs = performance.now() - start;
        const backup = CustosBackup.openKit(parsed, key);
        return { kdfMs, backup, owner: CustosBackup.deriveOwnerAddress(backup.mnemonic) };
      },
      [KIT_1, VECTOR_1.password] as const,
    );
    t.diagnostic(`Chromium ${browser.version()}: scrypt N=2^17 r=8 p=1 (async) took ${Math.round(result.kdfMs)} ms`);
    assert.deepEqual(result.backup, VECTOR_1.backup);
    assert.equal(result.owner, "0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
    assert.ok(result.kdfMs >= 250, `${result.kdfMs} ms`);
  });

  it("encrypts exactly like Node (test vector 1)", async () => {
    const kit = await page.evaluate(
      async ([backup, password, salt, nonce]) =>
        CustosBackup.encryptKit(backup, password, {
          salt: new Uint8Array(salt),
          nonce: new Uint8Array(nonce),
          version: 1,
        }),
      [VECTOR_1.backup, VECTOR_1.password, [...VECTOR_1.salt], [...VECTOR_1.nonce]] as const,
    );
    assert.equal(kit, KIT_1);
  });

  it("rejects a wrong password with the typed error", async () => {
    const code = await page.evaluate(async (kit) => {
      try {
        await CustosBackup.decryptKit(kit, "vector-1 lunar kettle orbiT");
        return "decrypted";
      } catch (error) {
        return (error as { code?: string }).code;
      }
    }, KIT_1);
    assert.equal(code, "WRONG_PASSWORD");
  });

  it("scores passwords and renders the paper backup", async () => {
    const out = await page.evaluate(async (mnemonic) => {
      const strength = CustosBackup.backupPasswordStrength("password1234");
      const paper = await CustosBackup.renderPaperBackup({
        mnemonic,
        account: "0x1111111111111111111111111111111111111111",
        chainId: 1,
      });
      return { score: strength.score, svg: paper.qrSvg.startsWith("<svg"), words: paper.text.includes("12. about") };
    }, VECTOR_1.backup.mnemonic);
    assert.ok(out.score < 3);
    assert.equal(out.svg, true);
    assert.equal(out.words, true);
  });
});
