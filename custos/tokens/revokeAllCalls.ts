import { encodeFunctionData } from "viem";
import type { Call } from "../actions/types.js";
import { approvalForAllAbi, erc20ApprovalAbi, erc721ApprovalAbi } from "./abis.js";
import type { TokenApproval } from "./listTokenApprovals.js";

const ZERO = "0x0000000000000000000000000000000000000000";

/** The call that withdraws one approval. */
export function revokeCall(approval: TokenApproval): Call {
  switch (approval.kind) {
    case "erc20":
      return {
        to: approval.token,
        value: 0n,
        data: encodeFunctionData({ abi: erc20ApprovalAbi, functionName: "approve", args: [approval.spender, 0n] }),
      };
    case "erc721":
      return {
        to: approval.token,
        value: 0n,
        data: encodeFunctionData({ abi: erc721ApprovalAbi, functionName: "approve", args: [ZERO, approval.tokenId] }),
      };
    case "operator":
      return {
        to: approval.token,
        value: 0n,
        data: encodeFunctionData({
          abi: approvalForAllAbi,
          functionName: "setApprovalForAll",
          args: [approval.spender, false],
        }),
      };
  }
}

/** The calls that withdraw every approval, for ONE batched UserOperation (`executeBatch`). */
export function revokeAllCalls(approvals: readonly TokenApproval[]): Call[] {
  return approvals.map(revokeCall);
}
