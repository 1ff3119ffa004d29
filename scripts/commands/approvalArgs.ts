import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import {
  buildApprovalRequest,
  approvalRequestLink,
  encodeApprovalRequest,
  encodeSignedApproval,
  parseApprovalRequest,
  parseSignedApproval,
  signApproval,
  type ApprovalKind,
  type ApprovalRequest,
  type SignedApproval,
  loadAccountContext,
  chainTime,
  collectApprovals,
  ApprovalError,
  InvalidInputError,
  formatDuration,
  checkExecute,
  createSafeApproval,
  encodeSafeApproval,
  prepareContractApproval,
} from "../../custos/index.js";
import {
  keyFromEnv,
  output,
  parseAddress,
  parseDuration,
  parseKey,
  readJsonItems,
  readTextArg,
  UsageError,
  type CliContext,
} from "./cli.js";
import { sendOwnerCalls } from "./transport.js";

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

/** Reads --request (JSON, link or file) and checks its kind and chain against the command and --network. */
export function readRequest(
  ctx: CliContext,
  requestText: unknown,
  expectedKinds: readonly ApprovalKind[],
): ApprovalRequest {
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
  return request;
}

/** Signs a request with `key` after checking it against the account's live state (S6). */
export async function signRequest(
  ctx: CliContext,
  key: PrivateKeyAccount,
  requestText: unknown,
  expectedKinds: readonly ApprovalKind[],
  out?: string,
): Promise<void> {
  const request = readRequest(ctx, requestText, expectedKinds);
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

export const CONTRACT_GUARDIAN_OPTIONS = {
  safe: { type: "string" },
  "from-account": { type: "string" },
} as const;

/**
 * A contract guardian approves `request` on-chain (S14): `--safe` writes the Safe transaction its owners
 * sign (`custos safe sign|exec`); `--from-account` sends the approval as a UserOperation of that Custos
 * account, signed by its owner (CUSTOS_OWNER_KEY).
 */
export async function approveOnChain(
  ctx: CliContext,
  request: ApprovalRequest,
  values: { safe?: unknown; "from-account"?: unknown; out?: unknown },
): Promise<void> {
  if (values.safe !== undefined && values["from-account"] !== undefined) {
    throw new UsageError("give --safe or --from-account, not both (see --help)");
  }
  const subject =
    request.kind === "Recovery"
      ? `the recovery of ${request.account} to ${request.newOwner}`
      : `the cancel of the recovery of ${request.account}`;
  if (values.safe !== undefined) {
    const safe = parseAddress(values.safe, "--safe");
    const approval = await createSafeApproval(ctx.client, { request, safe, fromBlock: ctx.fromBlock });
    const out = typeof values.out === "string" ? values.out : undefined;
    output(encodeSafeApproval(approval), out);
    const file = out ?? "<file>";
    console.error(
      `the Safe ${safe} approves ${subject} with this Safe transaction: ${approval.threshold} of its ${approval.owners.length} owners ` +
        `run \`custos safe sign --tx ${file}\` (CUSTOS_GUARDIAN_KEY = their key), then anyone runs \`custos safe exec --tx ${file}\``,
    );
    return;
  }
  const guardian = parseAddress(values["from-account"], "--from-account");
  const owner = keyFromEnv("CUSTOS_OWNER_KEY", `owner of the guardian account ${guardian}`);
  const call = await prepareContractApproval(ctx.client, { request, guardian, fromBlock: ctx.fromBlock });
  await checkExecute(ctx.client, { account: guardian, calls: [call], sender: owner.address, fromBlock: ctx.fromBlock });
  const result = await sendOwnerCalls(ctx, owner, guardian, [call], "userop");
  const live = await loadAccountContext(ctx.client, request.account, { fromBlock: ctx.fromBlock });
  const outcome =
    request.kind === "Recovery"
      ? live.recovering
        ? "; the quorum is reached and the recovery has started"
        : "; the other guardians' signatures start it (`custos recovery start`)"
      : live.recovering
        ? "; the owner's or other guardians' signatures complete the cancel (`custos recovery cancel`)"
        : "; the quorum is reached and the recovery is cancelled";
  console.log(
    `the guardian account ${guardian} approved ${subject} on-chain${outcome} ` +
      `(UserOperation ${result.userOpHash}, transaction ${result.transactionHash})`,
  );
}
