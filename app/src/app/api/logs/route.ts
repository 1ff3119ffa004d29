import { logIndexApiFromEnv } from "../../../../../server/logs/fromEnv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return logIndexApiFromEnv()(request);
}
