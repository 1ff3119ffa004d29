import { approvalApiFromEnv } from "../../../../../../../server/approvals/fromEnv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Stores one verified guardian approval (server/approvals/api.ts). */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  return (await approvalApiFromEnv()).postApproval(request, id);
}
