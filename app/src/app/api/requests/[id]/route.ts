import { getRequest, listApprovals } from "@/server/db";
import { jsonError } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The request and every approval stored for it (each was verified when written). */
export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  const stored = getRequest(id);
  if (!stored) return jsonError(404, "NOT_FOUND", "No approval request with this id on this server.");
  return Response.json(
    { id, request: stored.body, approvals: listApprovals(id) },
    { headers: { "cache-control": "no-store" } },
  );
}
