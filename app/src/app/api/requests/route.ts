import { approvalApiFromEnv } from "../../../../../server/approvals/fromEnv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Stores an approval request (server/approvals/api.ts). */
export async function POST(request: Request) {
  return (await approvalApiFromEnv()).createRequest(request);
}
