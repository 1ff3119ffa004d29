import { encodeFunctionData, type Address, type ContractFunctionArgs, type ContractFunctionName } from "viem";
import { custosAccountAbi } from "../generated/abis.js";
import type { Call } from "./types.js";

type AccountFunction = ContractFunctionName<typeof custosAccountAbi, "nonpayable" | "payable">;

/** A call of `functionName(...args)` on the Custos account at `account`, sending no ETH. */
export function accountCall<const F extends AccountFunction>(
  account: Address,
  functionName: F,
  ...args: ContractFunctionArgs<typeof custosAccountAbi, "nonpayable" | "payable", F> extends readonly []
    ? []
    : [ContractFunctionArgs<typeof custosAccountAbi, "nonpayable" | "payable", F>]
): Call {
  const data = encodeFunctionData({
    abi: custosAccountAbi,
    functionName,
    args: args[0],
  } as Parameters<typeof encodeFunctionData>[0]);
  return { to: account, value: 0n, data };
}
