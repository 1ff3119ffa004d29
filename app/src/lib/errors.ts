/**
 * A plain sentence for any thrown value (D7): library errors already carry one (CustosError's
 * `shortMessage`); viem errors carry a short message that may end in raw revert data, which is cut;
 * nothing a person reads ends in hex.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === "string") return clean(error);
  if (error instanceof Error) {
    const short = (error as { shortMessage?: string }).shortMessage;
    const text = short || error.message.split("\n\n")[0]!;
    return clean(text);
  }
  return clean(String(error));
}

/** The technical detail behind a sentence, for a collapsed "details" element (never the main text). */
export function errorDetails(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const details = (error as { details?: string }).details;
  if (details) return details;
  const rest = error.message.split("\n\n").slice(1).join("\n\n");
  return rest || undefined;
}

const RAW_REVERT = /\b(?:UserOperation )?reverted during simulation with reason:?\s*0x[0-9a-f]*\.?/i;
const HEX_BLOB = /0x[0-9a-fA-F]{65,}/g;

function clean(text: string): string {
  let out = text.trim();
  if (RAW_REVERT.test(out) || /^execution reverted/i.test(out)) {
    return "The operation would fail on chain, so it was not sent (nothing was paid). Check the amount and the recipient.";
  }
  out = out.replace(HEX_BLOB, "(data)").replace(/\s*0x\.?$/, "");
  return out.charAt(0).toUpperCase() + out.slice(1);
}
