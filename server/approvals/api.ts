/**
 * The approval collection API (D5), framework-neutral (Web Request in, Response out), mounted by the
 * dApp under /api/requests:
 *
 *   POST /api/requests                      {"request": "<portable request JSON>"} → 201 {id, request}
 *   GET  /api/requests/:id                  → {id, request, approvals: [...]}
 *   POST /api/requests/:id/approvals        {"approval": "<signed approval JSON>"} → 201 {ok, signer}
 *                                           409 DUPLICATE when this signer's approval is already stored
 *
 * Writes are rate-limited per client address and bodies are capped while read; every request is
 * validated against the chain and every approval verified before it is stored.
 */
import { keccak256, toBytes, type PublicClient } from "viem";
import {
  encodeApprovalRequest,
  encodeSignedApproval,
  parseApprovalRequest,
  parseSignedApproval,
  verifyApproval,
} from "../../custos/index.js";
import type { Database } from "../db/index.js";
import { readJsonObject } from "../http/body.js";
import { clientAddress } from "../http/clientAddress.js";
import { errorResponse, HttpError, jsonError, jsonResponse } from "../http/errors.js";
import type { Limiter } from "../http/rateLimit.js";
import { getRequest, insertApproval, insertRequest, listApprovals } from "./store.js";
import { expectationFor, validateRequest } from "./validate.js";

export const APPROVAL_BODY_LIMIT = 16 * 1024;
const ID = /^[0-9a-f]{24}$/;

export interface ApprovalApiContext {
  db: Database;
  client: PublicClient;
  /** The served deployment (read per request, so a redeployed local chain is picked up); undefined: none yet. */
  deployment: () => { chainId: number; deploymentBlock: number } | undefined;
  /**
   * The other chains this server serves (CUSTOS_NETWORKS): a request for one of them is validated
   * against that chain's node. Without it, or for a chain it does not know, only the default chain's
   * requests are accepted.
   */
  otherChain?: (chainId: number) => ServedApprovalChain | undefined;
  /** Writes per client address. */
  writes: Limiter;
  clientKey?: (request: Request) => string;
}

export interface ServedApprovalChain {
  client: PublicClient;
  deployment: { chainId: number; deploymentBlock: number };
}

const notFound = () => jsonError(404, "NOT_FOUND", "No approval request with this id on this server.");

function served(ctx: ApprovalApiContext) {
  const deployment = ctx.deployment();
  if (!deployment)
    throw new HttpError(503, "NOT_CONFIGURED", "No Custos deployment for this network: deploy the contracts first.");
  return deployment;
}

/** The node and deployment to check a request for `chainId` against: the default chain's when unknown (then refused). */
function chainFor(ctx: ApprovalApiContext, chainId: number): ServedApprovalChain {
  const deployment = served(ctx);
  if (chainId === deployment.chainId) return { client: ctx.client, deployment };
  return ctx.otherChain?.(chainId) ?? { client: ctx.client, deployment };
}

export function approvalApi(ctx: ApprovalApiContext) {
  const keyOf = ctx.clientKey ?? ((request: Request) => clientAddress(request));
  const limitWrites = (request: Request) => ctx.writes.consume(keyOf(request));

  return {
    /** Stores an approval request (the portable JSON); the id is its hash, so posting twice is harmless. */
    async createRequest(request: Request): Promise<Response> {
      try {
        await limitWrites(request);
        const body = await readJsonObject(request, APPROVAL_BODY_LIMIT);
        if (typeof body.request !== "string") {
          throw new HttpError(400, "MALFORMED", 'Send {"request": "<approval request JSON>"}.');
        }
        const parsed = parseApprovalRequest(body.request);
        const chain = chainFor(ctx, parsed.chainId);
        await validateRequest(chain.client, parsed, chain.deployment.chainId);
        const canonical = encodeApprovalRequest(parsed);
        const id = keccak256(toBytes(canonical)).slice(2, 26);
        await insertRequest(ctx.db, {
          id,
          kind: parsed.kind,
          chainId: parsed.chainId,
          account: parsed.account,
          newOwner: parsed.newOwner,
          body: canonical,
        });
        return jsonResponse({ id, request: canonical }, 201);
      } catch (error) {
        return errorResponse(error, "approval API");
      }
    },

    /** The request and every approval stored for it (each was verified when written). */
    async getRequest(_request: Request, id: string): Promise<Response> {
      try {
        if (!ID.test(id)) return notFound();
        const stored = await getRequest(ctx.db, id);
        if (!stored) return notFound();
        return jsonResponse({ id, request: stored.body, approvals: await listApprovals(ctx.db, id) });
      } catch (error) {
        return errorResponse(error, "approval API");
      }
    },

    /**
     * Stores one guardian approval after verifying it against the stored request and the chain:
     * malformed, wrong-chain, stale, expired and non-guardian approvals are refused; a second copy
     * from the same signer is 409 DUPLICATE (the first is stored: a client retrying may treat it as delivered).
     */
    async postApproval(request: Request, id: string): Promise<Response> {
      try {
        await limitWrites(request);
        const body = await readJsonObject(request, APPROVAL_BODY_LIMIT);
        if (typeof body.approval !== "string") {
          throw new HttpError(400, "MALFORMED", 'Send {"approval": "<signed approval JSON>"}.');
        }
        const stored = ID.test(id) ? await getRequest(ctx.db, id) : undefined;
        if (!stored) return notFound();
        const wanted = parseApprovalRequest(stored.body);
        const approval = parseSignedApproval(body.approval);
        if (approval.deadline !== wanted.deadline) {
          throw new HttpError(400, "MALFORMED", "This approval is for a different request (its deadline differs).");
        }
        const chain = chainFor(ctx, wanted.chainId);
        const expectation = await expectationFor(chain.client, wanted, chain.deployment.deploymentBlock);
        const verified = await verifyApproval(chain.client, approval, expectation);
        if (!(await insertApproval(ctx.db, id, verified.signer, encodeSignedApproval(approval)))) {
          return jsonError(409, "DUPLICATE", `${verified.signer} already approved this request.`);
        }
        return jsonResponse({ ok: true, signer: verified.signer }, 201);
      } catch (error) {
        return errorResponse(error, "approval API");
      }
    },
  };
}

export type ApprovalApi = ReturnType<typeof approvalApi>;
