import { encodeFunctionData, erc20Abi, type Address } from "viem";
import type { Call } from "../actions/types.js";

/** The call that sends `amount` (in the token's smallest unit) of an ERC-20 token to `to`. */
export function tokenTransferCall(token: Address, to: Address, amount: bigint): Call {
  return {
    to: token,
    value: 0n,
    data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, amount] }),
  };
}
