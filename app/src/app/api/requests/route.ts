import { keccak256, toBytes } from "viem";
import { encodeApprovalRequest, parseApprovalRequest } from "../../../../../custos/approvals/portable";
import { insertRequest } from "@/server/db";
import { allowWrite } from "@/server/rateLimit";
import { errorResponse, jsonError, readJson } from "@/server/http";
import { serverClient } from "@/server/chain";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Stores an approval request (the portable JSON); the id is its hash, so posting twice is harmless. */
export async function POST(request: Request) {
  if (!allowWrite(request)) return jsonError(429, "RATE_LIMITED", "Too many writes from this address; wait a minute.");
  const body = await readJson(request);
  if (!body || typeof body.request !== "string") {
    return jsonError(400, "MALFORMED", 'Send {"request": "<approval request JSON>"}.');
  }
  try {
    const parsed = parseApprovalRequest(body.request);
    const chainId = await serverClient().getChainId();
    if (parsed.chainId !== chainId) {
      return jsonError(
        400,
        "WRONG_CHAIN",
        `This request is for chain ${parsed.chainId}; this server serves chain ${chainId}.`,
      );
    }
    const canonical = encodeApprovalRequest(parsed);
    const id = keccak256(toBytes(canonical)).slice(2, 26);
    insertRequest(id, parsed.kind, parsed.chainId, parsed.account.toLowerCase(), parsed.newOwner, canonical);
    return Response.json({ id, request: canonical }, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
