import assert from "node:assert/strict";
import { describe, it } from "node:test";
import QRCode from "qrcode";
import { UnknownWordError, renderPaperBackup } from "../../../custos/backup/index.js";
import { VECTOR_1, VECTOR_2 } from "./fixtures/vectors.js";

const account = "0x1111111111111111111111111111111111111111";

describe("B3 paper backup", () => {
  it("numbers every word in order in the text form", async () => {
    const { text } = await renderPaperBackup({ mnemonic: VECTOR_1.backup.mnemonic, account, chainId: 31337 });
    const words = VECTOR_1.backup.mnemonic.split(" ");
    words.forEach((w, i) => assert.match(text, new RegExp(`\\b${i + 1}\\. ${w}\\b`)));
    assert.match(text, /Account: 0x1111111111111111111111111111111111111111/);
    assert.match(text, /Chain: {3}31337/);
  });

  it("lays 24 words out in three columns of eight", async () => {
    const { text } = await renderPaperBackup({ mnemonic: VECTOR_2.backup.mnemonic, account, chainId: 1 });
    assert.match(text, / 1\. abandon +9\. abandon +17\. abandon/);
    assert.match(text, /24\. art/);
  });

  it("renders the words as an ordered list and the account address as an SVG QR code", async () => {
    const { html, qrSvg } = await renderPaperBackup({ mnemonic: VECTOR_1.backup.mnemonic, account, chainId: 31337 });
    assert.equal((html.match(/<li>/g) ?? []).length, 12);
    assert.match(qrSvg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(html.includes(qrSvg));
    assert.equal(qrSvg, await QRCode.toString(account, { type: "svg", errorCorrectionLevel: "M", margin: 2 }));
  });

  it("says when a BIP39 passphrase is needed and never prints one", async () => {
    const { text, html } = await renderPaperBackup({
      mnemonic: VECTOR_2.backup.mnemonic,
      account,
      chainId: 1,
      hasPassphrase: true,
    });
    assert.match(text, /also needs its BIP39 passphrase, which is NOT written here/);
    assert.match(html, /NOT written here/);
  });

  it("refuses invalid words", async () => {
    await assert.rejects(
      renderPaperBackup({ mnemonic: VECTOR_1.backup.mnemonic.replace("about", "abot"), account, chainId: 1 }),
      UnknownWordError,
    );
  });
});
