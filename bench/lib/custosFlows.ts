import { createWalletClient, encodeFunctionData, type Address, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { encodeSignatureBlob } from "../../custos/approvals/signatureBlob.js";
import { approvalTypedData } from "../../custos/approvals/typedData.js";
import { normalizeConfig, type GuardianConfig } from "../../custos/config.js";
import { custosAccountAbi } from "../../custos/generated/abis.js";
import type { CustosBenchAccount } from "./accounts.js";
import { custosKind } from "./accounts.js";
import { fund, gasOf, increaseTime, now, type BenchChain } from "./chain.js";
import { signerFor } from "./keys.js";
import { ACCOUNT_FUNDING, ethTransferCall, runOp } from "./scenarios.js";
import { buildUserOp, sendUserOp } from "./userOp.js";

/** Custos-only flows, in gas (sum of the receipts of each step). */
export interface CustosFlowGas {
  /** startRecovery (2-of-3 aggregated EOA signatures) + executeRecovery after the delay, plain txs. */
  recoveryPlainTx: number;
  /** The same two steps as UserOperations paid by the account, signed by the new owner. */
  recoveryUserOps: number;
  /** requestConfigChange + confirmConfigChange adding a 4th guardian, as owner UserOperations. */
  guardianAddition: number;
  /** lock() sent by one guardian EOA. */
  lock: number;
  /** rotateOwner with 2-of-3 guardian approvals (⌈n/2⌉), sent by the owner key as a plain tx. */
  rotationPlainTx: number;
  /** The same rotation as an owner UserOperation paid by the account. */
  rotationUserOp: number;
}

const HOUR = 3600n;
const DAY = 24n * HOUR;

export const guardianSigners = [0, 1, 2].map((i) => signerFor(`guardian:${i}`));

/** 3 guardians, threshold 2, with delays valid under both the demo and production bounds. */
export const benchConfig: GuardianConfig = normalizeConfig({
  guardians: guardianSigners.map((g) => g.address),
  threshold: 2,
  recoveryDelay: 2n * DAY,
  securityPeriod: DAY,
  securityWindow: 12n * HOUR,
  lockPeriod: DAY,
});

const signerOf = (address: Address): PrivateKeyAccount => {
  const signer = guardianSigners.find((g) => g.address === address);
  if (!signer) throw new Error(`no key for guardian ${address}`);
  return signer;
};

/** Creates a Custos account with a plain factory call (not measured) and funds it. */
async function createDirect(bench: BenchChain, factory: Address, label: string): Promise<CustosBenchAccount> {
  const account = await custosKind(bench, factory, benchConfig).create(label);
  await gasOf(bench, await bench.walletClient.sendTransaction({ to: factory, data: account.createData }), "create");
  await fund(bench, account.address, ACCOUNT_FUNDING);
  return account;
}

/** Approvals of the first 2 guardians (the threshold, and ⌈3/2⌉) for a recovery or rotation to `newOwner`. */
async function guardianApprovals(
  bench: BenchChain,
  account: Address,
  newOwner: Address,
  deadline: bigint,
  kind: "Recovery" | "Rotation" = "Recovery",
) {
  const [, , , epoch, nonce] = await bench.publicClient.readContract({
    address: account,
    abi: custosAccountAbi,
    functionName: "accountState",
  });
  const entries = await Promise.all(
    benchConfig.guardians.slice(0, Number(benchConfig.threshold)).map(async (guardian, index) => ({
      index,
      kind: "ecdsa" as const,
      signature: await signerOf(guardian).signTypedData(
        approvalTypedData({ kind, chainId: bench.chain.id, account, newOwner, nonce, epoch, deadline }),
      ),
    })),
  );
  return encodeSignatureBlob(entries);
}

async function startRecoveryCall(bench: BenchChain, account: Address, newOwner: Address): Promise<Hex> {
  const deadline = (await now(bench)) + DAY;
  const signatures = await guardianApprovals(bench, account, newOwner, deadline);
  return encodeFunctionData({
    abi: custosAccountAbi,
    functionName: "startRecovery",
    args: [newOwner, deadline, benchConfig, signatures],
  });
}

async function recoveryPlainTx(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "recovery-tx");
  const newOwner = signerFor("custos:recovery-tx:new-owner").address;
  const data = await startRecoveryCall(bench, account.address, newOwner);
  const start = await gasOf(bench, await bench.walletClient.sendTransaction({ to: account.address, data }), "start");
  await increaseTime(bench, benchConfig.recoveryDelay);
  const executeData = encodeFunctionData({ abi: custosAccountAbi, functionName: "executeRecovery" });
  const hash = await bench.walletClient.sendTransaction({ to: account.address, data: executeData });
  return start + (await gasOf(bench, hash, "executeRecovery"));
}

async function recoveryUserOps(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "recovery-ops");
  // A used account: its EntryPoint nonce is already non-zero, as for every real recovery.
  await runOp(bench, account, ethTransferCall("custos:recovery-ops:warmup"), "warm-up op");
  const newOwner = signerFor("custos:recovery-ops:new-owner");
  const sign = (hash: Hex) => newOwner.sign({ hash });
  const startOp = await buildUserOp(bench, {
    sender: account.address,
    callData: await startRecoveryCall(bench, account.address, newOwner.address),
    sign,
  });
  const start = await sendUserOp(bench, startOp, "startRecovery op");
  await increaseTime(bench, benchConfig.recoveryDelay);
  const executeOp = await buildUserOp(bench, {
    sender: account.address,
    callData: encodeFunctionData({ abi: custosAccountAbi, functionName: "executeRecovery" }),
    sign,
  });
  return start + (await sendUserOp(bench, executeOp, "executeRecovery op"));
}

async function guardianAddition(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "guardians");
  await runOp(bench, account, ethTransferCall("custos:guardians:warmup"), "warm-up op");
  const next = normalizeConfig({
    ...benchConfig,
    guardians: [...benchConfig.guardians, signerFor("guardian:new").address],
  });
  const request = await runOp(
    bench,
    account,
    encodeFunctionData({ abi: custosAccountAbi, functionName: "requestConfigChange", args: [benchConfig, next] }),
    "requestConfigChange op",
  );
  await increaseTime(bench, benchConfig.securityPeriod);
  const confirm = await runOp(
    bench,
    account,
    encodeFunctionData({ abi: custosAccountAbi, functionName: "confirmConfigChange", args: [next] }),
    "confirmConfigChange op",
  );
  return request + confirm;
}

async function lock(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "lock");
  const guardian = signerOf(benchConfig.guardians[0]!);
  await fund(bench, guardian.address, ACCOUNT_FUNDING);
  const wallet = createWalletClient({ account: guardian, chain: bench.chain, transport: bench.transport });
  const hash = await wallet.writeContract({
    address: account.address,
    abi: custosAccountAbi,
    functionName: "lock",
    args: [benchConfig, 0n],
  });
  return gasOf(bench, hash, "lock");
}

async function rotateOwnerData(bench: BenchChain, account: Address, label: string): Promise<Hex> {
  const newOwner = signerFor(`custos:${label}:rotated-owner`).address;
  const deadline = (await now(bench)) + DAY;
  const signatures = await guardianApprovals(bench, account, newOwner, deadline, "Rotation");
  return encodeFunctionData({
    abi: custosAccountAbi,
    functionName: "rotateOwner",
    args: [newOwner, deadline, benchConfig, signatures],
  });
}

async function rotationPlainTx(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "rotation-tx");
  const owner = signerFor(account.ownerLabel);
  await fund(bench, owner.address, ACCOUNT_FUNDING);
  const wallet = createWalletClient({ account: owner, chain: bench.chain, transport: bench.transport });
  const data = await rotateOwnerData(bench, account.address, "rotation-tx");
  return gasOf(bench, await wallet.sendTransaction({ to: account.address, data }), "rotateOwner");
}

async function rotationUserOp(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "rotation-op");
  await runOp(bench, account, ethTransferCall("custos:rotation-op:warmup"), "warm-up op");
  return runOp(bench, account, await rotateOwnerData(bench, account.address, "rotation-op"), "rotateOwner op");
}

/** Runs every Custos-only flow on its own fresh account. */
export async function runCustosFlows(bench: BenchChain, factory: Address): Promise<CustosFlowGas> {
  return {
    recoveryPlainTx: Number(await recoveryPlainTx(bench, factory)),
    recoveryUserOps: Number(await recoveryUserOps(bench, factory)),
    guardianAddition: Number(await guardianAddition(bench, factory)),
    lock: Number(await lock(bench, factory)),
    rotationPlainTx: Number(await rotationPlainTx(bench, factory)),
    rotationUserOp: Number(await rotationUserOp(bench, factory)),
  };
}
