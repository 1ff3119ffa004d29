import {
  encodeSignedApproval,
  parseApprovalRequest,
  parseSignedApproval,
} from "../../../../../../../custos/approvals/portable";
import { verifyApproval } from "../../../../../../../custos/approvals/verify";
import { getRequest, insertApproval } from "@/server/db";
import { allowWrite } from "@/server/rateLimit";
import { errorResponse, jsonError, readJson } from "@/server/http";
import { expectationFor, serverClient } from "@/server/chain";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Stores one guardian approval after verifying it against the stored request and the chain:
 * malformed, wrong-chain, stale, expired, non-guardian and duplicate approvals are refused.
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }) {
  if (!allowWrite(request)) return jsonError(429, "RATE_LIMITED", "Too many writes from this address; wait a minute.");
  const { id } = await ctx.params;
  const stored = getRequest(id);
  if (!stored) return jsonError(404, "NOT_FOUND", "No approval request with this id on this server.");
  const body = await readJson(request);
  if (!body || typeof body.approval !== "string") {
    return jsonError(400, "MALFORMED", 'Send {"approval": "<signed approval JSON>"}.');
  }
  try {
    const wanted = parseApprovalRequest(stored.body);
    const approval = parseSignedApproval(body.approval);
    if (approval.deadline !== wanted.deadline) {
      return jsonError(400, "MALFORMED", "This approval is for a different request (its deadline differs).");
    }
    const verified = await verifyApproval(serverClient(), approval, await expectationFor(wanted));
    if (!insertApproval(id, verified.signer, encodeSignedApproval(approval))) {
      return jsonError(409, "DUPLICATE", `${verified.signer} already approved this request.`);
    }
    return Response.json({ ok: true, signer: verified.signer }, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
