import type { Address, PublicClient } from "viem";
import type { UserOperation } from "viem/account-abstraction";
import { custosAccountAbi } from "../generated/abis.js";
import { UserOperationError } from "../userop/errors.js";

/**
 * The account's caps on the gas of UserOperations its owner did not sign (S13), which also bound the
 * rotation and configuration changes a locked account accepts at once (S4), as its implementation
 * states them.
 */
export interface GuardianDrivenGasCaps {
  maxVerificationGasLimit: bigint;
  maxCallGasLimit: bigint;
  minCallGasLimit: bigint;
  maxPreVerificationGas: bigint;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

/** Reads the caps from the account (the implementation's immutables). */
export async function readGasCaps(client: PublicClient, account: Address): Promise<GuardianDrivenGasCaps> {
  const caps = await client.readContract({ address: account, abi: custosAccountAbi, functionName: "gasCaps" });
  return {
    maxVerificationGasLimit: BigInt(caps.maxVerificationGasLimit),
    maxCallGasLimit: BigInt(caps.maxCallGasLimit),
    minCallGasLimit: BigInt(caps.minCallGasLimit),
    maxPreVerificationGas: BigInt(caps.maxPreVerificationGas),
    maxPriorityFeePerGas: caps.maxPriorityFeePerGas,
    maxFeePerGas: caps.maxFeePerGas,
  };
}

/** Why an operation must fit the caps, for the error a person reads when it cannot. */
export type CappedOperation = "guardian-driven" | "lock-exempt";

const WHY: Record<CappedOperation, { what: string; instead: string }> = {
  "guardian-driven": {
    what: "operations its owner did not sign",
    instead: "send it as a plain transaction from any funded address instead (it needs no signature from the account)",
  },
  "lock-exempt": {
    what: "a rotation or configuration change while a guardian lock may hold",
    instead: "send it as a plain transaction from the owner key, or after the lock has ended",
  },
};

/**
 * Fits an operation into the caps: call gas raised to the minimum its execution needs, verification
 * gas and fees lowered to the caps. An estimate that needs more than a cap cannot be sent (the account
 * would refuse it): that is a typed error naming the field.
 */
export function fitToGasCaps<T extends UserOperation<"0.8">>(
  op: T,
  caps: GuardianDrivenGasCaps,
  kind: CappedOperation = "guardian-driven",
): T {
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const fitted = {
    ...op,
    callGasLimit: op.callGasLimit < caps.minCallGasLimit ? caps.minCallGasLimit : op.callGasLimit,
    verificationGasLimit: min(op.verificationGasLimit, caps.maxVerificationGasLimit),
    maxPriorityFeePerGas: min(op.maxPriorityFeePerGas, caps.maxPriorityFeePerGas),
    maxFeePerGas: min(op.maxFeePerGas, caps.maxFeePerGas),
  };
  const over: [string, bigint, bigint][] = [
    ["call gas", fitted.callGasLimit, caps.maxCallGasLimit],
    ["pre-verification gas", fitted.preVerificationGas, caps.maxPreVerificationGas],
  ];
  for (const [field, value, cap] of over) {
    if (value > cap) {
      throw new UserOperationError(
        "GAS_CAP",
        `this operation needs ${value} ${field}, more than the ${cap} the account allows for ${WHY[kind].what}`,
        WHY[kind].instead,
      );
    }
  }
  if (fitted.maxPriorityFeePerGas > fitted.maxFeePerGas) fitted.maxPriorityFeePerGas = fitted.maxFeePerGas;
  return fitted;
}
