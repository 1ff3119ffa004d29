import { encodeFunctionData, parseAbi, parseEther, type Address } from "viem";
import type { AccountKind, BenchAccount } from "./accounts.js";
import { executeAbi } from "./accounts.js";
import { fund, gasOf, type BenchChain } from "./chain.js";
import { freshAddress } from "./keys.js";
import { buildUserOp, sendUserOp } from "./userOp.js";

/** The scenarios every implementation runs, in gas (receipt gasUsed of a one-op handleOps bundle). */
export interface AccountGas {
  deployPlusFirstOp: number;
  ethTransfer: number;
  erc20Transfer: number;
}

export const tokenAbi = parseAbi(["function transfer(address to, uint256 amount) returns (bool)"]);

const ACCOUNT_FUNDING = parseEther("1");
const ETH_AMOUNT = parseEther("0.001");
const TOKEN_FUNDING = parseEther("1000");
const TOKEN_AMOUNT = parseEther("1");

/** An ETH transfer of the benchmark amount to a fresh recipient, as the account's callData. */
export function ethTransferCall(label: string) {
  return encodeFunctionData({
    abi: executeAbi,
    functionName: "execute",
    args: [freshAddress(label), ETH_AMOUNT, "0x"],
  });
}

/** Sends one UserOperation of `account` calling `execute` with `callData`. */
export async function runOp(bench: BenchChain, account: BenchAccount, callData: `0x${string}`, what: string) {
  const op = await buildUserOp(bench, { sender: account.address, callData, sign: account.sign });
  return sendUserOp(bench, op, what);
}

/**
 * Runs the shared scenarios for one implementation: deploy + first op (an ETH transfer), then an ETH
 * transfer op and an ERC-20 transfer op, each to a fresh recipient. The account holds plain ETH and
 * no EntryPoint deposit, so every operation pays its prefund from the account's balance.
 */
export async function runAccountScenarios(
  bench: BenchChain,
  name: string,
  kind: AccountKind,
  token: Address,
): Promise<AccountGas> {
  const account = await kind.create("main");
  await fund(bench, account.address, ACCOUNT_FUNDING);

  const firstOp = await buildUserOp(bench, {
    sender: account.address,
    initCode: account.initCode,
    callData: ethTransferCall(`${name}:first`),
    sign: account.sign,
  });
  const deployPlusFirstOp = await sendUserOp(bench, firstOp, `${name} deploy + first op`);

  const ethTransfer = await runOp(bench, account, ethTransferCall(`${name}:eth`), `${name} ETH transfer`);

  const tokenTx = await bench.walletClient.writeContract({
    address: token,
    abi: tokenAbi,
    functionName: "transfer",
    args: [account.address, TOKEN_FUNDING],
  });
  await gasOf(bench, tokenTx, `funding ${name} with tokens`);
  const transferData = encodeFunctionData({
    abi: tokenAbi,
    functionName: "transfer",
    args: [freshAddress(`${name}:erc20`), TOKEN_AMOUNT],
  });
  const erc20Transfer = await runOp(
    bench,
    account,
    encodeFunctionData({ abi: executeAbi, functionName: "execute", args: [token, 0n, transferData] }),
    `${name} ERC-20 transfer`,
  );

  return {
    deployPlusFirstOp: Number(deployPlusFirstOp),
    ethTransfer: Number(ethTransfer),
    erc20Transfer: Number(erc20Transfer),
  };
}

export { ACCOUNT_FUNDING, ETH_AMOUNT, TOKEN_AMOUNT, TOKEN_FUNDING };
