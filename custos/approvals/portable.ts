import { getAddress, isAddress, isHex, size, type Address, type Hex } from "viem";
import { ApprovalError, InvalidInputError } from "../errors.js";
import type { ApprovalKind, ApprovalRequest } from "./typedData.js";
import type { SignedApproval } from "./types.js";

/**
 * Portable text formats, for copying by hand, e-mail, files or a URL:
 * - a request: `{"custos":"approval-request","version":1,kind,chainId,account,newOwner,nonce,epoch,deadline}`
 * - a signed approval: `{"custos":"approval","version":1, ...request, signer, signature}`
 * Numbers that may exceed 2^53 (nonce, epoch, deadline) are decimal strings. The same request format
 * serves recovery, rotation and cancel approvals.
 */
export const REQUEST_TAG = "approval-request";
export const APPROVAL_TAG = "approval";
export const FORMAT_VERSION = 1;

const KINDS: readonly ApprovalKind[] = ["Recovery", "Rotation", "CancelRecovery"];

function requestFields(request: ApprovalRequest) {
  return {
    kind: request.kind,
    chainId: request.chainId,
    account: getAddress(request.account),
    newOwner: getAddress(request.newOwner),
    nonce: request.nonce.toString(),
    epoch: request.epoch.toString(),
    deadline: request.deadline.toString(),
  };
}

export function encodeApprovalRequest(request: ApprovalRequest): string {
  return JSON.stringify({ custos: REQUEST_TAG, version: FORMAT_VERSION, ...requestFields(request) });
}

export function encodeSignedApproval(approval: SignedApproval): string {
  return JSON.stringify({
    custos: APPROVAL_TAG,
    version: FORMAT_VERSION,
    ...requestFields(approval),
    signer: getAddress(approval.signer),
    signature: approval.signature,
  });
}

function fail(what: string, message: string): never {
  throw new InvalidInputError(`malformed ${what}: ${message}`);
}

function parseJson(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch {
    fail(what, "it is not valid JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) fail(what, "it is not a JSON object");
  return value as Record<string, unknown>;
}

function address(value: unknown, field: string, what: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) fail(what, `"${field}" is not an address`);
  return getAddress(value);
}

function uint(value: unknown, field: string, what: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  fail(what, `"${field}" is not a non-negative integer`);
}

function readRequest(json: Record<string, unknown>, what: string): ApprovalRequest {
  if (json.version !== FORMAT_VERSION) fail(what, `unsupported version ${String(json.version)}`);
  if (!KINDS.includes(json.kind as ApprovalKind)) fail(what, `"kind" must be one of ${KINDS.join(", ")}`);
  const chainId = uint(json.chainId, "chainId", what);
  if (chainId === 0n || chainId > BigInt(Number.MAX_SAFE_INTEGER)) fail(what, '"chainId" is out of range');
  return {
    kind: json.kind as ApprovalKind,
    chainId: Number(chainId),
    account: address(json.account, "account", what),
    newOwner: address(json.newOwner, "newOwner", what),
    nonce: uint(json.nonce, "nonce", what),
    epoch: uint(json.epoch, "epoch", what),
    deadline: uint(json.deadline, "deadline", what),
  };
}

/** Parses a request from its JSON, from a link carrying it (`?request=`), or from the bare base64url payload. */
export function parseApprovalRequest(text: string): ApprovalRequest {
  const trimmed = text.trim();
  let json: string = trimmed;
  if (!trimmed.startsWith("{")) {
    let payload = trimmed;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
      const param = new URL(trimmed).searchParams.get("request");
      if (!param) fail("approval request", "the link has no ?request= parameter");
      payload = param;
    }
    json = fromBase64Url(payload);
  }
  const parsed = parseJson(json, "approval request");
  if (parsed.custos !== REQUEST_TAG) fail("approval request", `it is not a Custos approval request`);
  return readRequest(parsed, "approval request");
}

/** Parses a signed approval (JSON). Malformed input raises a sentence naming the bad field. */
export function parseSignedApproval(text: string): SignedApproval {
  const what = "signature";
  const parsed = parseJson(text, what);
  if (parsed.custos !== APPROVAL_TAG) fail(what, 'it is not a Custos approval ("custos": "approval" is missing)');
  const request = readRequest(parsed, what);
  const signer = address(parsed.signer, "signer", what);
  const signature = parsed.signature;
  if (typeof signature !== "string" || !isHex(signature, { strict: true }) || size(signature as Hex) === 0) {
    throw new ApprovalError("MALFORMED", 'malformed signature: "signature" is not hex');
  }
  return { ...request, signer, signature: normalizeV(signature as Hex) };
}

/** Wallets sometimes produce v = 0/1; the contract wants 27/28 (same signature). */
function normalizeV(signature: Hex): Hex {
  if (size(signature) !== 65) return signature;
  const v = parseInt(signature.slice(130, 132), 16);
  if (v === 0 || v === 1) return `${signature.slice(0, 130)}${(v + 27).toString(16)}` as Hex;
  return signature;
}

/** A link that carries the request, for the guardian view of the dApp: `<base>?request=<base64url JSON>`. */
export function approvalRequestLink(baseUrl: string, request: ApprovalRequest): string {
  const url = new URL(baseUrl);
  url.searchParams.set("request", toBase64Url(encodeApprovalRequest(request)));
  return url.toString();
}

/** base64url without Buffer, so the same code runs in the browser. */
function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(payload: string): string {
  try {
    const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    fail("approval request", "it is neither JSON nor a request link");
  }
}
