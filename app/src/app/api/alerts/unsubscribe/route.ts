import { handleUnsubscribe } from "../../../../../../server/alerts/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One-click unsubscribe (RFC 8058 POST from mail clients, or the page behind a message's link). */
export function POST(request: Request) {
  return handleUnsubscribe(request);
}
