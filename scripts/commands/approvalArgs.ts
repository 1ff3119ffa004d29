import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { buildApprovalRequest } from "../../custos/approvals/build.js";
import {
  approvalRequestLink,
  encodeApprovalRequest,
  encodeSignedApproval,
  parseApprovalRequest,
  parseSignedApproval,
} from "../../custos/approvals/portable.js";
import { signApproval } from "../../custos/approvals/sign.js";
import type { ApprovalKind } from "../../custos/approvals/typedData.js";
import type { SignedApproval } from "../../custos/approvals/types.js";
import { loadAccountContext } from "../../custos/actions/context.js";
import { chainTime } from "../../custos/state/chainTime.js";
import { collectApprovals } from "../../custos/actions/collectApprovals.js";
import { ApprovalError, InvalidInputError, formatDuration } from "../../custos/errors.js";
import { output, parseAddress, parseDuration, parseKey, readJsonItems, readTextArg, type CliContext } from "./cli.js";

export const DEFAULT_APP_URL = process.env.CUSTOS_APP_URL ?? "http://127.0.0.1:3000/guardian";

/** The proposed owner: --new-owner, else CUSTOS_NEW_OWNER_KEY, else a fresh key printed once. */
export function resolveNewOwner(value: unknown): { address: Address; key?: PrivateKeyAccount } {
  if (value !== undefined) return { address: parseAddress(value, "--new-owner") };
  if (process.env.CUSTOS_NEW_OWNER_KEY) {
    const key = parseKey(process.env.CUSTOS_NEW_OWNER_KEY, "CUSTOS_NEW_OWNER_KEY");
    return { address: key.address, key };
  }
  const secret = generatePrivateKey();
  const key = privateKeyToAccount(secret);
  console.error(
    "WARNING: no --new-owner and no CUSTOS_NEW_OWNER_KEY, so a new owner key was generated. It is printed ONCE:",
  );
  console.error(`  CUSTOS_NEW_OWNER_KEY=${secret}`);
  console.error("Store it safely now: it will control the account once the change completes.");
  return { address: key.address, key };
}

/** Builds a request bound to the live nonce/epoch and prints it as JSON plus a link. */
export async function printRequest(
  ctx: CliContext,
  kind: ApprovalKind,
  account: Address,
  newOwner: Address | undefined,
  values: Record<string, unknown>,
): Promise<void> {
  const validFor =
    values["valid-for"] !== undefined ? parseDuration(String(values["valid-for"]), "--valid-for") : undefined;
  const request = await buildApprovalRequest(ctx.client, { account, kind, newOwner, validFor });
  const json = encodeApprovalRequest(request);
  output(json, values.out as string | undefined);
  console.error(`link for guardians: ${approvalRequestLink(String(values["app-url"] ?? DEFAULT_APP_URL), request)}`);
  const ttl = request.deadline - (await chainTime(ctx.client));
  console.error(`valid for ${formatDuration(ttl)}, until the account's configuration or recovery nonce changes`);
}

/** Signs a request with `key` after checking it against the account's live state (S6). */
export async function signRequest(
  ctx: CliContext,
  key: PrivateKeyAccount,
  requestText: unknown,
  expectedKinds: readonly ApprovalKind[],
  out?: string,
): Promise<void> {
  if (typeof requestText !== "string" || requestText === "") {
    throw new InvalidInputError("--request is required: the request JSON, its link, or a file holding it");
  }
  const request = parseApprovalRequest(readTextArg(requestText));
  if (!expectedKinds.includes(request.kind)) {
    throw new ApprovalError(
      "MALFORMED",
      `this is a ${request.kind} request, not a ${expectedKinds.join(" or ")} request`,
    );
  }
  if (request.chainId !== ctx.deployment.chainId) {
    throw new ApprovalError(
      "WRONG_CHAIN",
      `the request is for chain ${request.chainId}, but --network ${ctx.network} is chain ${ctx.deployment.chainId}`,
    );
  }
  const live = await loadAccountContext(ctx.client, request.account, { fromBlock: ctx.fromBlock });
  const signed = await signApproval(key, request);
  // The same checks the account will make, so a useless signature is never handed out.
  await collectApprovals(ctx.client, live, request.kind, [signed], {
    requireQuorum: false,
    newOwner: request.newOwner,
  });
  output(encodeSignedApproval(signed), out);
  console.error(`signed ${request.kind} of ${request.account} to new owner ${request.newOwner} as ${key.address}`);
}

export function readApprovals(values: readonly string[]): SignedApproval[] {
  if (values.length === 0) throw new InvalidInputError("give the signature JSONs (files or texts) as arguments");
  return readJsonItems(values).map((text) => parseSignedApproval(text));
}
