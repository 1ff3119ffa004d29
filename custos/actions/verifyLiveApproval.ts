import type { PublicClient } from "viem";
import { ApprovalError } from "../errors.js";
import type { SignedApproval, VerifiedApproval } from "../approvals/types.js";
import { collectApprovals } from "./collectApprovals.js";
import { loadAccountContext, type ContextOptions } from "./context.js";

/**
 * Checks one signed approval against its account's live state in one call (what an approval
 * collector does on every write): chain, account, nonce/epoch, deadline, guardian, signature.
 */
export async function verifyLiveApproval(
  client: PublicClient,
  approval: SignedApproval,
  options: ContextOptions = {},
): Promise<VerifiedApproval> {
  const chainId = await client.getChainId();
  if (approval.chainId !== chainId) {
    throw new ApprovalError(
      "WRONG_CHAIN",
      `approval signed for another chain (chain ${approval.chainId}, this is chain ${chainId})`,
    );
  }
  const ctx = await loadAccountContext(client, approval.account, options);
  const { approvals } = await collectApprovals(client, ctx, approval.kind, [approval], {
    requireQuorum: false,
    newOwner: approval.newOwner,
  });
  return approvals[0]!;
}
