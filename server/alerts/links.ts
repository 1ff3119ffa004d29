/** URLs of the dApp's alert page and API, built from the app base URL (env CUSTOS_APP_URL). */
export const DEFAULT_APP_URL = "http://127.0.0.1:3000";

export function appUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CUSTOS_APP_URL ?? DEFAULT_APP_URL).replace(/\/+$/, "");
}

const base = (appUrl: string) => appUrl.replace(/\/+$/, "");

/** The page that confirms a subscription (one button, so a link scanner cannot confirm for you). */
export function confirmPageUrl(appUrl: string, token: string): string {
  return `${base(appUrl)}/alerts?confirm=${encodeURIComponent(token)}`;
}

/** The page that unsubscribes on open (one click on the link in a message). */
export function unsubscribePageUrl(appUrl: string, token: string): string {
  return `${base(appUrl)}/alerts?unsubscribe=${encodeURIComponent(token)}`;
}

/** RFC 8058 one-click endpoint (POST) for mail clients' "Unsubscribe" button. */
export function unsubscribeApiUrl(appUrl: string, token: string): string {
  return `${base(appUrl)}/api/alerts/unsubscribe?token=${encodeURIComponent(token)}`;
}

export function confirmApiUrl(appUrl: string): string {
  return `${base(appUrl)}/api/alerts/confirm`;
}
