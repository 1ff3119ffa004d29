import QRCode from "qrcode";
import { getAddress, type Address } from "viem";
import { parseMnemonic } from "./mnemonic.js";

export interface PaperBackupInput {
  mnemonic: string;
  account: Address;
  chainId: number;
  /** Whether a BIP39 passphrase is needed too (it is never printed). */
  hasPassphrase?: boolean;
}

export interface PaperBackup {
  /** A self-contained printable page: numbered words, account, QR code (SVG) of the account address. */
  html: string;
  /** The same content as plain text. */
  text: string;
  /** The QR code of the account address alone, as SVG. */
  qrSvg: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The printable paper backup (B3): the words numbered in order, the account and chain, and a QR
 * code of the account address only — never of the words, which a camera could read from afar.
 */
export async function renderPaperBackup(input: PaperBackupInput): Promise<PaperBackup> {
  const words = parseMnemonic(input.mnemonic).split(" ");
  const account = getAddress(input.account);
  const qrSvg = await QRCode.toString(account, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  const passphraseLine = input.hasPassphrase
    ? "This wallet also needs its BIP39 passphrase, which is NOT written here."
    : "No BIP39 passphrase.";
  const warning =
    "Anyone who reads these words controls the wallet. Keep this paper offline, never photograph it, never type it into a website.";

  const numbered = words.map((w, i) => `${String(i + 1).padStart(2, " ")}. ${w}`);
  const columns = words.length > 12 ? 3 : 2;
  const rows = Math.ceil(numbered.length / columns);
  const textRows = Array.from({ length: rows }, (_, r) =>
    Array.from({ length: columns }, (_, c) => numbered[c * rows + r] ?? "")
      .map((cell) => cell.padEnd(16))
      .join("")
      .trimEnd(),
  );
  const text = [
    "CUSTOS RECOVERY PHRASE",
    "",
    ...textRows,
    "",
    `Account: ${account}`,
    `Chain:   ${input.chainId}`,
    passphraseLine,
    "",
    warning,
    "",
  ].join("\n");

  const items = words.map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Custos recovery phrase</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2cm; color: #000; }
ol { columns: ${columns}; font: 16pt/1.8 ui-monospace, monospace; padding-left: 2.5em; }
.account { font: 11pt ui-monospace, monospace; word-break: break-all; }
.qr { width: 4cm; height: 4cm; }
.warning { border: 2px solid #000; padding: 0.5em; }
</style>
</head>
<body>
<h1>Custos recovery phrase</h1>
<ol>${items}</ol>
<p>Account <span class="account">${account}</span> on chain ${input.chainId}</p>
<div class="qr" role="img" aria-label="QR code of the account address">${qrSvg}</div>
<p>${escapeHtml(passphraseLine)}</p>
<p class="warning">${escapeHtml(warning)}</p>
</body>
</html>
`;
  return { html, text, qrSvg };
}
