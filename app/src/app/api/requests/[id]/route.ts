import { approvalApiFromEnv } from "../../../../../../server/approvals/fromEnv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The request and its stored approvals (server/approvals/api.ts). */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  return (await approvalApiFromEnv()).getRequest(request, id);
}
