import {
  getAddress,
  hashTypedData,
  isAddress,
  isHex,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { ApprovalError, InvalidInputError } from "../errors.js";
import type { ApprovalRequest } from "../approvals/typedData.js";
import { prepareApproveCancel } from "../actions/approveCancel.js";
import { prepareApproveRecovery } from "../actions/approveRecovery.js";
import { loadAccountContext, type ContextOptions } from "../actions/context.js";
import type { Call } from "../actions/types.js";
import {
  buildSafeTransaction,
  readSafe,
  safeExecTransactionCall,
  safeTransactionTypedData,
  type SafeOwnerSignature,
  type SafeTransaction,
} from "./safe.js";

/**
 * The on-chain approval a contract guardian (a Safe, a multisig, another Custos account) makes for a
 * recovery or cancel request (S14): `approveRecovery` / `approveCancel` with the request's deadline, so
 * it adds up with the signatures other guardians (and, for a cancel, the owner) gave for that request.
 */
export async function prepareContractApproval(
  client: PublicClient,
  parameters: ContextOptions & { request: ApprovalRequest; guardian: Address },
): Promise<Call> {
  const { request, guardian } = parameters;
  const ctx = await loadAccountContext(client, request.account, parameters);
  if (request.chainId !== ctx.chainId) {
    throw new ApprovalError("WRONG_CHAIN", `the request is for chain ${request.chainId}, this is chain ${ctx.chainId}`);
  }
  if (request.nonce !== ctx.nonce || request.epoch !== ctx.epoch) {
    throw new ApprovalError("STALE", "the request is stale: the account's configuration or recovery nonce changed");
  }
  const common = { ...parameters, account: request.account, guardian, deadline: request.deadline };
  if (request.kind === "Recovery") return prepareApproveRecovery(client, { ...common, newOwner: request.newOwner });
  if (request.kind === "CancelRecovery") return prepareApproveCancel(client, common);
  throw new InvalidInputError(
    "a rotation is approved with signatures the owner submits; contract guardians approve recoveries and cancels on-chain",
  );
}

/** A Safe transaction that approves a request, with what the Safe's owners need to sign it. */
export interface SafeApproval {
  request: ApprovalRequest;
  transaction: SafeTransaction;
  owners: Address[];
  threshold: number;
  signatures: SafeOwnerSignature[];
}

export const SAFE_APPROVAL_TAG = "safe-approval";

/** The Safe transaction by which `safe` (a guardian of the account) approves `request`. */
export async function createSafeApproval(
  client: PublicClient,
  parameters: ContextOptions & { request: ApprovalRequest; safe: Address },
): Promise<SafeApproval> {
  const safe = getAddress(parameters.safe);
  const code = await client.getCode({ address: safe });
  if (!code || code === "0x") throw new InvalidInputError(`there is no Safe at ${safe} on this chain`);
  let info;
  try {
    info = await readSafe(client, safe);
  } catch (error) {
    throw new InvalidInputError(`${safe} is not a Safe (it has no owners and threshold)`, { cause: error });
  }
  const call = await prepareContractApproval(client, { ...parameters, guardian: safe });
  const transaction = await buildSafeTransaction(client, safe, call);
  return { request: parameters.request, transaction, owners: info.owners, threshold: info.threshold, signatures: [] };
}

/** The hash the Safe's owners sign (the Safe UI shows it as the "safeTxHash"). */
export function safeTransactionHash(transaction: SafeTransaction): Hex {
  return hashTypedData(safeTransactionTypedData(transaction));
}

/** Adds (or replaces) the signature of `owner`, one of the Safe's owners. */
export async function signSafeApproval(approval: SafeApproval, owner: LocalAccount): Promise<SafeApproval> {
  if (!approval.owners.some((o) => o === getAddress(owner.address))) {
    throw new ApprovalError(
      "WRONG_SIGNER",
      `${owner.address} is not an owner of the Safe ${approval.transaction.safe} (its owners: ${approval.owners.join(", ")})`,
    );
  }
  const signature = await owner.signTypedData(safeTransactionTypedData(approval.transaction));
  const others = approval.signatures.filter((s) => s.owner !== getAddress(owner.address));
  return { ...approval, signatures: [...others, { owner: getAddress(owner.address), signature }] };
}

/**
 * Adds (or replaces) the signature `owner` made elsewhere (a browser wallet, Safe{Wallet}, another
 * tool) of the Safe transaction's typed data, after checking that it is that owner's.
 */
export async function addSafeOwnerSignature(approval: SafeApproval, entry: SafeOwnerSignature): Promise<SafeApproval> {
  const owner = getAddress(entry.owner);
  if (!approval.owners.includes(owner)) {
    throw new ApprovalError(
      "WRONG_SIGNER",
      `${owner} is not an owner of the Safe ${approval.transaction.safe} (its owners: ${approval.owners.join(", ")})`,
    );
  }
  const recovered = await recoverTypedDataAddress({
    ...safeTransactionTypedData(approval.transaction),
    signature: entry.signature,
  }).catch(() => undefined);
  if (!recovered || getAddress(recovered) !== owner) {
    throw new ApprovalError(
      "WRONG_SIGNER",
      `the signature given for ${owner} is not that owner's signature of this Safe transaction`,
    );
  }
  const others = approval.signatures.filter((s) => s.owner !== owner);
  return { ...approval, signatures: [...others, { owner, signature: entry.signature }] };
}

/** The signatures of two files of the same Safe transaction together (each owner signed one copy). */
export function mergeSafeApprovals(a: SafeApproval, b: SafeApproval): SafeApproval {
  if (safeTransactionHash(a.transaction) !== safeTransactionHash(b.transaction)) {
    throw new InvalidInputError("the two files hold different Safe transactions (their SafeTx hashes differ)");
  }
  const byOwner = new Map(a.signatures.map((s) => [s.owner, s]));
  for (const s of b.signatures) byOwner.set(s.owner, s);
  return { ...a, signatures: [...byOwner.values()] };
}

/**
 * The `execTransaction` call, after checking each signature against its owner and the Safe's live
 * state (its nonce, owners and threshold may have changed since the file was made).
 */
export async function safeApprovalExecCall(client: PublicClient, approval: SafeApproval): Promise<Call> {
  const { transaction } = approval;
  const live = await readSafe(client, transaction.safe);
  if (live.nonce !== transaction.nonce) {
    throw new ApprovalError(
      "STALE",
      `the Safe has executed other transactions since this one was made (its nonce is ${live.nonce}, this transaction's ${transaction.nonce}): make a new one`,
    );
  }
  const typed = safeTransactionTypedData(transaction);
  for (const entry of approval.signatures) {
    const recovered = await recoverTypedDataAddress({ ...typed, signature: entry.signature }).catch(() => undefined);
    if (!recovered || getAddress(recovered) !== getAddress(entry.owner)) {
      throw new ApprovalError("WRONG_SIGNER", `the signature given for ${entry.owner} is not that owner's`);
    }
    if (!live.owners.includes(getAddress(entry.owner))) {
      throw new ApprovalError("WRONG_SIGNER", `${entry.owner} is no longer an owner of the Safe ${transaction.safe}`);
    }
  }
  const signed = new Set(approval.signatures.map((s) => getAddress(s.owner))).size;
  if (signed < live.threshold) {
    throw new ApprovalError(
      "MALFORMED",
      `the Safe needs ${live.threshold} owner signatures and ${signed} ${signed === 1 ? "has" : "have"} signed: ask ${live.threshold - signed} more of its owners to sign`,
    );
  }
  return safeExecTransactionCall(transaction, approval.signatures, live.threshold);
}

/** The file's JSON: numbers as decimal strings; the typed data and its hash included for other signing tools. */
export function encodeSafeApproval(approval: SafeApproval): string {
  const { request, transaction } = approval;
  return JSON.stringify(
    {
      custos: SAFE_APPROVAL_TAG,
      version: 1,
      request,
      transaction,
      owners: approval.owners,
      threshold: approval.threshold,
      safeTxHash: safeTransactionHash(transaction),
      typedData: safeTransactionTypedData(transaction),
      signatures: approval.signatures,
    },
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    2,
  );
}

function malformed(detail: string): never {
  throw new InvalidInputError(`malformed Safe transaction file: ${detail}`);
}

const addressField = (value: unknown, name: string): Address =>
  typeof value === "string" && isAddress(value, { strict: false })
    ? getAddress(value)
    : malformed(`"${name}" is not an address`);
const uintField = (value: unknown, name: string): bigint =>
  typeof value === "string" && /^\d+$/.test(value) ? BigInt(value) : malformed(`"${name}" is not a whole number`);

export function parseSafeApproval(text: string): SafeApproval {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return malformed("it is not valid JSON");
  }
  if (json?.custos !== SAFE_APPROVAL_TAG)
    return malformed(`it is not a Custos Safe transaction ("custos": "${SAFE_APPROVAL_TAG}" is missing)`);
  const r = (json.request ?? {}) as Record<string, unknown>;
  const t = (json.transaction ?? {}) as Record<string, unknown>;
  if (r.kind !== "Recovery" && r.kind !== "CancelRecovery")
    return malformed('"request.kind" is not Recovery or CancelRecovery');
  if (typeof r.chainId !== "number" || typeof t.chainId !== "number") return malformed('"chainId" is not a number');
  if (typeof t.data !== "string" || !isHex(t.data)) return malformed('"transaction.data" is not hex');
  if (!Array.isArray(json.owners) || typeof json.threshold !== "number")
    return malformed('"owners" or "threshold" is missing');
  if (!Array.isArray(json.signatures)) return malformed('"signatures" is not a list');
  return {
    request: {
      kind: r.kind,
      chainId: r.chainId,
      account: addressField(r.account, "request.account"),
      newOwner: addressField(r.newOwner, "request.newOwner"),
      nonce: uintField(r.nonce, "request.nonce"),
      epoch: uintField(r.epoch, "request.epoch"),
      deadline: uintField(r.deadline, "request.deadline"),
    },
    transaction: {
      safe: addressField(t.safe, "transaction.safe"),
      chainId: t.chainId,
      to: addressField(t.to, "transaction.to"),
      value: uintField(t.value, "transaction.value"),
      data: t.data,
      nonce: uintField(t.nonce, "transaction.nonce"),
    },
    owners: (json.owners as unknown[]).map((o, i) => addressField(o, `owners[${i}]`)),
    threshold: json.threshold,
    signatures: (json.signatures as Record<string, unknown>[]).map((s, i) => {
      if (typeof s?.signature !== "string" || !/^0x[0-9a-fA-F]{130}$/.test(s.signature)) {
        return malformed(`"signatures[${i}].signature" is not a 65-byte signature`);
      }
      return { owner: addressField(s.owner, `signatures[${i}].owner`), signature: s.signature as Hex };
    }),
  };
}
