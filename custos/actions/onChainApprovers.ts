import { getAddress, hashTypedData, type Address, type PublicClient } from "viem";
import { custosAccountAbi } from "../generated/abis.js";
import { approvalTypedData, type ApprovalRequest } from "../approvals/typedData.js";

/**
 * The guardians that approved `request` on-chain (S14: contract guardians call `approveRecovery` /
 * `approveCancel`; relayed signatures are recorded the same way), from the account's own record for the
 * request's digest. `guardians` is the current guardian list (sorted, as the account indexes it). A
 * rotation is never approved on-chain: none.
 */
export async function readOnChainApprovers(
  client: PublicClient,
  request: ApprovalRequest,
  guardians: readonly Address[],
): Promise<Address[]> {
  if (request.kind === "Rotation") return [];
  const bitmap = await client.readContract({
    address: request.account,
    abi: custosAccountAbi,
    functionName: "recoveryApprovals",
    args: [hashTypedData(approvalTypedData(request))],
  });
  return guardians.filter((_, i) => (bitmap >> BigInt(i)) & 1n).map((g) => getAddress(g));
}
