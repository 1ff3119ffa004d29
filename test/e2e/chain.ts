import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { entryPoint08Abi, entryPoint08Address } from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildApprovalRequest } from "../../custos/approvals/build.js";
import { signApproval } from "../../custos/approvals/sign.js";
import { submitRecoveryApprovals } from "../../custos/actions/submitRecoveryApprovals.js";
import { lock } from "../../custos/actions/lock.js";
import { readAccountState } from "../../custos/state/readAccountState.js";
import { deriveOwnerPrivateKey } from "../../custos/backup/mnemonic.js";
import { loadDeployment } from "../../custos/deployments.js";
import { toCustosSmartAccount } from "../../custos/smartAccount/toCustosSmartAccount.js";
import { createCustosBundlerClient } from "../../custos/smartAccount/bundler.js";
import { assertIncluded, runUserOperation } from "../../custos/userop/lifecycle.js";
import { erc20ApprovalAbi } from "../../custos/tokens/abis.js";
import { custosAccountAbi } from "../../custos/generated/abis.js";
import { normalizeConfig } from "../../custos/config.js";
import { DEMO_BOUNDS } from "../../custos/deploy/constants.js";
import { createSafe, deploySafeStack } from "../integration/helpers/safe.js";
import { CHAIN_ID, fund, guardianKey, rpcUrl } from "./helpers.js";

/** Node-side chain actions the browser journeys need as a starting point (tokens, an attacker's recovery). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const chain = {
  id: CHAIN_ID,
  name: "e2e",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [] as string[] } },
} as const;

export function publicClient(): PublicClient {
  return createPublicClient({ chain, transport: http(rpcUrl()), pollingInterval: 100 }) as PublicClient;
}

function devWallet(index: number) {
  return createWalletClient({ chain, account: privateKeyToAccount(guardianKey(index)), transport: http(rpcUrl()) });
}

/** Deploys the repository's TestERC20 and mints `amount` to `to`. */
export async function deployTestToken(to: Address, amount: bigint): Promise<Address> {
  const artifact = JSON.parse(
    readFileSync(path.join(root, "artifacts/contracts/test/TestERC20.sol/TestERC20.json"), "utf8"),
  ) as { abi: readonly unknown[]; bytecode: Hex };
  const wallet = devWallet(3);
  const client = publicClient();
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode });
  const token = (await client.waitForTransactionReceipt({ hash })).contractAddress!;
  const mint = await wallet.writeContract({
    address: token,
    abi: [
      {
        type: "function",
        name: "mint",
        stateMutability: "nonpayable",
        inputs: [
          { name: "to", type: "address" },
          { name: "amount", type: "uint256" },
        ],
        outputs: [],
      },
    ],
    functionName: "mint",
    args: [to, amount],
  });
  await client.waitForTransactionReceipt({ hash: mint });
  return token;
}

/** The owner (derived from `words`) approves each spender through a UserOperation of the account. */
export async function approveSpenders(words: string[], account: Address, token: Address, spenders: Address[]) {
  const client = publicClient();
  const owner = privateKeyToAccount(deriveOwnerPrivateKey(words.join(" ")));
  const deployment = loadDeployment(process.env.E2E_NETWORK!);
  const smart = await toCustosSmartAccount({ client, owner, factory: deployment.factory, address: account });
  const bundlerClient = createCustosBundlerClient({ client, account: smart, bundlerUrl: process.env.E2E_BUNDLER_URL! });
  assertIncluded(
    await runUserOperation({
      bundlerClient,
      calls: spenders.map((spender) => ({
        to: token,
        value: 0n,
        data: encodeFunctionData({ abi: erc20ApprovalAbi, functionName: "approve", args: [spender, 10n ** 20n] }),
      })),
    }),
  );
}

export async function allowance(token: Address, owner: Address, spender: Address): Promise<bigint> {
  return publicClient().readContract({
    address: token,
    abi: erc20ApprovalAbi,
    functionName: "allowance",
    args: [owner, spender],
  });
}

export async function entryPointNonce(account: Address): Promise<bigint> {
  return publicClient().readContract({
    address: entryPoint08Address,
    abi: entryPoint08Abi,
    functionName: "getNonce",
    args: [account, 0n],
  });
}

export async function ownerOf(account: Address): Promise<Address> {
  return publicClient().readContract({ address: account, abi: custosAccountAbi, functionName: "owner" });
}

/**
 * A guardian gone rogue: guardian `guardianIndex` signs a recovery to a fresh attacker key and a
 * stranger submits it, which starts the recovery when it meets the threshold.
 */
export async function startMaliciousRecovery(account: Address, guardianIndex: number): Promise<Address> {
  const client = publicClient();
  const attacker = privateKeyToAccount(generatePrivateKey()).address;
  const request = await buildApprovalRequest(client, { account, kind: "Recovery", newOwner: attacker });
  const approval = await signApproval(privateKeyToAccount(guardianKey(guardianIndex)), request);
  const deployment = loadDeployment(process.env.E2E_NETWORK!);
  await submitRecoveryApprovals(client, devWallet(3), {
    account,
    approvals: [approval],
    fromBlock: BigInt(deployment.deploymentBlock),
  });
  return attacker;
}

/** Guardian `guardianIndex` locks the account from their own key (S4), as a plain transaction. */
export async function lockAs(account: Address, guardianIndex: number): Promise<void> {
  const deployment = loadDeployment(process.env.E2E_NETWORK!);
  await lock(publicClient(), devWallet(guardianIndex), { account, fromBlock: BigInt(deployment.deploymentBlock) });
}

/** The account's guardians now, rebuilt from the chain. */
export async function guardiansOf(account: Address): Promise<Address[]> {
  const deployment = loadDeployment(process.env.E2E_NETWORK!);
  const state = await readAccountState(publicClient(), account, { fromBlock: BigInt(deployment.deploymentBlock) });
  return [...state.config.guardians];
}

/**
 * A Custos account of a fresh owner key (a user who will lose it), guarded by `guardians` (keys or
 * contracts) with `threshold`, created by its first UserOperation through the e2e bundler.
 */
export async function createGuardedAccount(guardians: Address[], threshold: number, salt: bigint): Promise<Address> {
  const client = publicClient();
  const owner = privateKeyToAccount(generatePrivateKey());
  const deployment = loadDeployment(process.env.E2E_NETWORK!);
  const config = normalizeConfig({
    guardians,
    threshold,
    recoveryDelay: DEMO_BOUNDS.minRecoveryDelay,
    securityPeriod: DEMO_BOUNDS.minSecurityPeriod,
    securityWindow: DEMO_BOUNDS.minSecurityWindow,
    lockPeriod: DEMO_BOUNDS.minLockPeriod,
  });
  const smart = await toCustosSmartAccount({ client, owner, factory: deployment.factory, config, salt });
  await fund(smart.address);
  const bundlerClient = createCustosBundlerClient({ client, account: smart, bundlerUrl: process.env.E2E_BUNDLER_URL! });
  assertIncluded(await runUserOperation({ bundlerClient, calls: [{ to: owner.address, value: 0n }] }));
  return smart.address;
}

/** A Safe 1.4.1 (from npm, as the integration tests deploy it) owned by `owners` with `threshold`. */
export async function deploySafeGuardian(owners: Address[], threshold: number): Promise<Address> {
  const client = publicClient();
  const deployer = devWallet(3);
  const stack = await deploySafeStack(client, deployer);
  return createSafe(client, deployer, stack, owners, threshold);
}
