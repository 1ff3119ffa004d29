import { encodeFunctionData, parseEther, parseEventLogs, type Address, type Hex, type PublicClient } from "viem";
import { entryPoint08Abi, type SmartAccount } from "viem/account-abstraction";
import { createCustosBundlerClient } from "../../custos/smartAccount/bundler.js";
import { toCustosSmartAccount } from "../../custos/smartAccount/toCustosSmartAccount.js";
import { startStack } from "../../scripts/stack/startStack.js";
import { deploySimpleAccountFactory } from "./accounts.js";
import { connectRpc, deployArtifact, fund, gasOf, type BenchChain } from "./chain.js";
import { benchConfig } from "./custosFlows.js";
import { checkUnusedGasPenalty, type PenaltyCheck } from "./executionGas.js";
import { freshAddress, signerFor } from "./keys.js";
import { ACCOUNT_FUNDING, ETH_AMOUNT, TOKEN_AMOUNT, TOKEN_FUNDING, tokenAbi } from "./scenarios.js";
import { toSimpleSmartAccount } from "./simpleSmartAccount.js";

/** One operation as the user pays it, from its UserOperation receipt, and the bundler's limits. */
export interface UserPaidOp {
  actualGasUsed: number;
  /** Wei, as a decimal string (it can exceed 2^53). */
  actualGasCost: string;
  /** actualGasCost / actualGasUsed, in wei. */
  gasPrice: number;
  nonceKey: string;
  verificationGasLimit: number;
  preVerificationGas: number;
  penalty: PenaltyCheck;
}

export type UserPaidScenario = "deployPlusFirstOp" | "ethTransfer" | "erc20Transfer";
export type UserPaidAccount = "custos" | "simpleAccount" | "simpleAccountDefaultNonce";
export type UserPaidRun = Record<UserPaidAccount, Record<UserPaidScenario, UserPaidOp>>;

export interface UserPaidResult {
  run: UserPaidRun;
  /** How alto ran: "safe" (`--safe-mode true`: ERC-7562 tracing) or "unsafe" (`--safe-mode false`). */
  bundlerMode: "safe" | "unsafe";
}

/** Sends `calls` as one UserOperation through the bundler and reads what it cost from the receipt. */
async function sendOp(
  bench: BenchChain,
  bundlerUrl: string,
  account: SmartAccount,
  calls: { to: Address; value?: bigint; data?: Hex }[],
  what: string,
): Promise<UserPaidOp> {
  const client = bench.publicClient as PublicClient;
  const bundlerClient = createCustosBundlerClient({ client, account, bundlerUrl });
  const hash = await bundlerClient.sendUserOperation({ account, calls });
  const receipt = await bundlerClient.waitForUserOperationReceipt({ hash, timeout: 60_000 });
  if (!receipt.success) throw new Error(`${what}: the operation reverted (${hash})`);
  const { userOperation } = await bundlerClient.getUserOperation({ hash });
  const events = parseEventLogs({ abi: entryPoint08Abi, logs: receipt.receipt.logs, eventName: "UserOperationEvent" });
  if (events.length !== 1) throw new Error(`${what}: the bundle held ${events.length} operations, not 1`);
  const penalty = await checkUnusedGasPenalty(
    client,
    receipt.receipt.transactionHash,
    account.address,
    userOperation.callGasLimit,
  );
  return {
    actualGasUsed: Number(receipt.actualGasUsed),
    actualGasCost: receipt.actualGasCost.toString(),
    gasPrice: Number(receipt.actualGasCost / receipt.actualGasUsed),
    nonceKey: `0x${(userOperation.nonce >> 64n).toString(16)}`,
    verificationGasLimit: Number(userOperation.verificationGasLimit),
    preVerificationGas: Number(userOperation.preVerificationGas),
    penalty,
  };
}

/**
 * Deploy + first op (ETH), an unmeasured ETH transfer, then the measured ETH and ERC-20 transfers,
 * each to its own fresh recipient. The first op's refund leaves a deposit sized for its deployment
 * limits, large enough to cover the next operation's whole prefund; the unmeasured transfer uses it
 * up, so the measured ones run in the steady state, where each tops up its prefund from the balance.
 */
async function runAccount(
  bench: BenchChain,
  bundlerUrl: string,
  name: UserPaidAccount,
  account: SmartAccount,
  token: Address,
): Promise<Record<UserPaidScenario, UserPaidOp>> {
  await fund(bench, account.address, ACCOUNT_FUNDING);
  const tokenTx = await bench.walletClient.writeContract({
    address: token,
    abi: tokenAbi,
    functionName: "transfer",
    args: [account.address, TOKEN_FUNDING],
  });
  await gasOf(bench, tokenTx, `funding ${name} with tokens`);
  const eth = (label: string) => [{ to: freshAddress(`userPaid:${name}:${label}`), value: ETH_AMOUNT }];
  const send = (calls: Parameters<typeof sendOp>[3], what: string) => sendOp(bench, bundlerUrl, account, calls, what);

  const deployPlusFirstOp = await send(eth("first"), `${name} deploy + first op`);
  await send(eth("settle"), `${name} ETH transfer after deployment`);
  const ethTransfer = await send(eth("eth"), `${name} ETH transfer`);
  const data = encodeFunctionData({
    abi: tokenAbi,
    functionName: "transfer",
    args: [freshAddress(`userPaid:${name}:erc20`), TOKEN_AMOUNT],
  });
  const erc20Transfer = await send([{ to: token, data }], `${name} ERC-20 transfer`);
  return { deployPlusFirstOp, ethTransfer, erc20Transfer };
}

/**
 * The "user pays" scenarios through a real bundler: starts the local stack (anvil, Custos contracts,
 * alto in safe mode) on its own ports, deploys the published SimpleAccountFactory and the bench token, and runs
 * Custos (`toCustosSmartAccount`, nonce key 0), SimpleAccount on nonce key 0 and SimpleAccount with
 * viem's default (clock-based) nonce key, one account each.
 */
export async function runUserPaid(ports: { chain: number; bundler: number }): Promise<UserPaidResult> {
  // anvil runs the bundler's ERC-7562 tracer, so alto checks every operation in safe mode.
  const stack = await startStack({
    chain: "anvil",
    safeMode: true,
    chainPort: ports.chain,
    bundlerPort: ports.bundler,
    logs: process.env.CUSTOS_STACK_LOGS ?? "ignore",
  });
  try {
    const bench = connectRpc(stack.rpcUrl, stack.chain, stack.devAccounts[0]!.privateKey);
    const client = bench.publicClient as PublicClient;
    const token = await deployArtifact(bench, "contracts/bench/BenchToken.sol", "BenchToken", [parseEther("1000000")]);
    const simpleFactory = await deploySimpleAccountFactory(bench);

    const custos = await toCustosSmartAccount({
      client,
      owner: signerFor("userPaid:custos"),
      factory: stack.deployment.factory,
      config: benchConfig,
    });
    const simple = await toSimpleSmartAccount({
      client,
      owner: signerFor("userPaid:simple"),
      factory: simpleFactory,
      nonceKey: 0n,
    });
    const simpleDefault = await toSimpleSmartAccount({
      client,
      owner: signerFor("userPaid:simple-default"),
      factory: simpleFactory,
    });
    return {
      run: {
        custos: await runAccount(bench, stack.bundlerUrl, "custos", custos, token),
        simpleAccount: await runAccount(bench, stack.bundlerUrl, "simpleAccount", simple, token),
        simpleAccountDefaultNonce: await runAccount(
          bench,
          stack.bundlerUrl,
          "simpleAccountDefaultNonce",
          simpleDefault,
          token,
        ),
      },
      bundlerMode: stack.safeMode ? "safe" : "unsafe",
    };
  } finally {
    await stack.stop();
  }
}
