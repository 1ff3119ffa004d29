import { CustosError } from "../../custos/index.js";

/** The most specific technical detail in an error's cause chain (for failures nobody mapped to a sentence). */
function deepestDetail(error: unknown): string | undefined {
  let found: string | undefined;
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const details = (e as { details?: unknown }).details;
    if (typeof details === "string" && details.trim() && !/^RPC Request failed\.?$/.test(details)) found = details;
  }
  return found?.split("\n")[0];
}

/** One line for a person: the library's sentence, never a stack trace. */
export function errorLine(error: unknown): string {
  if (error instanceof CustosError) {
    if (!/see the details/i.test(error.shortMessage)) return error.shortMessage;
    const detail = deepestDetail(error);
    const short = error.shortMessage.replace(/\.? ?see the details below\.?$/i, "");
    return detail ? `${short}: ${detail}` : short;
  }
  if (error instanceof Error) return (error as { shortMessage?: string }).shortMessage ?? error.message.split("\n")[0]!;
  return String(error);
}
