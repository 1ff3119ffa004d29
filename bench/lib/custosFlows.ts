import { createWalletClient, type Address, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { prepareRequestConfigChange, prepareConfirmConfigChange } from "../../custos/actions/configChange.js";
import { prepareExecuteRecovery } from "../../custos/actions/executeRecovery.js";
import { prepareLock } from "../../custos/actions/lock.js";
import { prepareRotateOwner } from "../../custos/actions/rotateOwner.js";
import { prepareStartRecovery } from "../../custos/actions/startRecovery.js";
import { addGuardian } from "../../custos/actions/configHelpers.js";
import { buildApprovalRequest } from "../../custos/approvals/build.js";
import { signApproval } from "../../custos/approvals/sign.js";
import type { ApprovalKind } from "../../custos/approvals/typedData.js";
import { normalizeConfig, type GuardianConfig } from "../../custos/config.js";
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

/**
 * Approvals of the first 2 guardians (the threshold, and ⌈3/2⌉) for a recovery or rotation to
 * `newOwner`, built, signed and checked by the client library.
 */
async function guardianApprovals(bench: BenchChain, account: Address, newOwner: Address, kind: ApprovalKind) {
  const request = await buildApprovalRequest(bench.publicClient, {
    account,
    kind,
    newOwner,
    deadline: (await now(bench)) + DAY,
  });
  const signers = benchConfig.guardians.slice(0, Number(benchConfig.threshold)).map(signerOf);
  return Promise.all(signers.map((signer) => signApproval(signer, request)));
}

/** `startRecovery` call data with 2-of-3 guardian approvals, from the client library. */
async function startRecoveryData(bench: BenchChain, account: Address, newOwner: Address): Promise<Hex> {
  const approvals = await guardianApprovals(bench, account, newOwner, "Recovery");
  const { call } = await prepareStartRecovery(bench.publicClient, { account, approvals, config: benchConfig });
  return call.data;
}

async function executeRecoveryData(bench: BenchChain, account: Address): Promise<Hex> {
  return (await prepareExecuteRecovery(bench.publicClient, { account, config: benchConfig })).data;
}

async function recoveryPlainTx(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "recovery-tx");
  const newOwner = signerFor("custos:recovery-tx:new-owner").address;
  const data = await startRecoveryData(bench, account.address, newOwner);
  const start = await gasOf(bench, await bench.walletClient.sendTransaction({ to: account.address, data }), "start");
  await increaseTime(bench, benchConfig.recoveryDelay);
  const executeData = await executeRecoveryData(bench, account.address);
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
    callData: await startRecoveryData(bench, account.address, newOwner.address),
    sign,
  });
  const start = await sendUserOp(bench, startOp, "startRecovery op");
  await increaseTime(bench, benchConfig.recoveryDelay);
  const executeOp = await buildUserOp(bench, {
    sender: account.address,
    callData: await executeRecoveryData(bench, account.address),
    sign,
  });
  return start + (await sendUserOp(bench, executeOp, "executeRecovery op"));
}

async function guardianAddition(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "guardians");
  await runOp(bench, account, ethTransferCall("custos:guardians:warmup"), "warm-up op");
  const next = addGuardian(benchConfig, signerFor("guardian:new").address);
  const client = bench.publicClient;
  const requestCall = await prepareRequestConfigChange(client, { account: account.address, next, config: benchConfig });
  const request = await runOp(bench, account, requestCall.data, "requestConfigChange op");
  await increaseTime(bench, benchConfig.securityPeriod);
  const confirmCall = await prepareConfirmConfigChange(client, { account: account.address, next, config: benchConfig });
  const confirm = await runOp(bench, account, confirmCall.data, "confirmConfigChange op");
  return request + confirm;
}

async function lock(bench: BenchChain, factory: Address): Promise<bigint> {
  const account = await createDirect(bench, factory, "lock");
  const guardian = signerOf(benchConfig.guardians[0]!);
  await fund(bench, guardian.address, ACCOUNT_FUNDING);
  const wallet = createWalletClient({ account: guardian, chain: bench.chain, transport: bench.transport });
  const call = await prepareLock(bench.publicClient, {
    account: account.address,
    guardian: guardian.address,
    config: benchConfig,
  });
  return gasOf(bench, await wallet.sendTransaction({ to: call.to, data: call.data }), "lock");
}

async function rotateOwnerData(bench: BenchChain, account: Address, label: string): Promise<Hex> {
  const newOwner = signerFor(`custos:${label}:rotated-owner`).address;
  const approvals = await guardianApprovals(bench, account, newOwner, "Rotation");
  const call = await prepareRotateOwner(bench.publicClient, { account, newOwner, approvals, config: benchConfig });
  return call.data;
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
