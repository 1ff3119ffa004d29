import type { Wallet } from "ethers";
import { signEntries, type ApprovalType } from "./approvals.js";
import { encodeBlob, OWNER_INDEX } from "./blob.js";
import { deadlineIn, randomWallet, type AccountSetup, type CustosDeployment } from "./fixture.js";

/** A blob of `type` approvals by the guardians at `indexes` (and the owner when `withOwner`). */
export async function approvalBlob(
  setup: AccountSetup,
  type: ApprovalType,
  newOwner: string,
  deadline: bigint,
  indexes: readonly number[],
  withOwner = false,
): Promise<string> {
  const signers = indexes.map((index) => ({ index, signer: setup.guardians[index]! }));
  if (withOwner) signers.push({ index: OWNER_INDEX, signer: setup.owner });
  return encodeBlob(await signEntries(signers, setup.account, type, newOwner, deadline));
}

/** Starts a recovery to a fresh key with the guardians at `indexes`, submitted by the bundler EOA. */
export async function startRecovery(
  custos: CustosDeployment,
  setup: AccountSetup,
  indexes: readonly number[] = [0, 1],
): Promise<{ newOwner: Wallet; deadline: bigint }> {
  const newOwner = randomWallet(custos.ethers);
  const deadline = await deadlineIn(custos);
  const blob = await approvalBlob(setup, "Recovery", newOwner.address, deadline, indexes);
  await (
    await setup.account.connect(custos.bundler).startRecovery(newOwner.address, deadline, setup.config, blob)
  ).wait();
  return { newOwner, deadline };
}

/** A cancel blob for the pending recovery of `setup.account`. */
export async function cancelBlob(
  setup: AccountSetup,
  deadline: bigint,
  indexes: readonly number[],
  withOwner: boolean,
): Promise<string> {
  const { newOwner } = await setup.account.pendingRecovery();
  return approvalBlob(setup, "CancelRecovery", newOwner, deadline, indexes, withOwner);
}
