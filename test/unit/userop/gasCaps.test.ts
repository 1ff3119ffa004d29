import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UserOperation } from "viem/account-abstraction";
import { fitToGasCaps, type GuardianDrivenGasCaps } from "../../../custos/smartAccount/gasCaps.js";
import { UserOperationError } from "../../../custos/userop/errors.js";

const caps: GuardianDrivenGasCaps = {
  maxVerificationGasLimit: 500_000n,
  maxCallGasLimit: 200_000n,
  minCallGasLimit: 60_000n,
  maxPreVerificationGas: 500_000n,
  maxPriorityFeePerGas: 5_000_000_000n,
  maxFeePerGas: 500_000_000_000n,
};

const op = (fields: Partial<UserOperation<"0.8">> = {}): UserOperation<"0.8"> => ({
  sender: "0x000000000000000000000000000000000000c0de",
  nonce: 0n,
  callData: "0x",
  callGasLimit: 30_000n,
  verificationGasLimit: 900_000n,
  preVerificationGas: 50_000n,
  maxFeePerGas: 900_000_000_000n,
  maxPriorityFeePerGas: 9_000_000_000n,
  signature: "0x",
  ...fields,
});

describe("fitToGasCaps", () => {
  it("raises call gas to the minimum and lowers verification gas and fees to the caps", () => {
    const fitted = fitToGasCaps(op(), caps);
    assert.equal(fitted.callGasLimit, 60_000n);
    assert.equal(fitted.verificationGasLimit, 500_000n);
    assert.equal(fitted.maxFeePerGas, 500_000_000_000n);
    assert.equal(fitted.maxPriorityFeePerGas, 5_000_000_000n);
    assert.equal(fitted.preVerificationGas, 50_000n);
  });

  it("keeps the priority fee at or below the fee", () => {
    const fitted = fitToGasCaps(op({ maxFeePerGas: 1_000_000_000n, maxPriorityFeePerGas: 4_000_000_000n }), caps);
    assert.equal(fitted.maxPriorityFeePerGas, 1_000_000_000n);
  });

  for (const [kind, wording, instead] of [
    ["guardian-driven", /operations its owner did not sign/, /plain transaction from any funded address/],
    ["lock-exempt", /rotation or configuration change while a guardian lock may hold/, /from the owner key/],
  ] as const) {
    it(`names the field and the cap it cannot fit (${kind})`, () => {
      for (const [fields, field] of [
        [{ callGasLimit: 200_001n }, "200001 call gas, more than the 200000"],
        [{ preVerificationGas: 500_001n }, "500001 pre-verification gas, more than the 500000"],
      ] as const) {
        assert.throws(
          () => fitToGasCaps(op(fields), caps, kind),
          (error: unknown) =>
            error instanceof UserOperationError &&
            error.code === "GAS_CAP" &&
            error.reason.includes(field) &&
            wording.test(error.reason) &&
            instead.test(error.fix),
        );
      }
    });
  }
});
