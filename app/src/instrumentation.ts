/**
 * Next.js startup hook: under plain `next start` (no server/appServer.ts in front), route handlers
 * never see a socket address, so rate limits fall back to one shared budget; say so once, at startup.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { unstampedWarning } = await import("../../server/http/clientAddress");
  const warning = unstampedWarning();
  if (warning) console.warn(warning);
}
