import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BaseError, concatHex, encodeErrorResult, type Hex } from "viem";
import { custosAccountAbi, entryPointAbi } from "../../../custos/generated/abis.js";
import { CustosError } from "../../../custos/errors.js";
import {
  ENTRY_POINT_CODES,
  decodeCustosRevert,
  refineWithAccountState,
  revertedOperationError,
  toUserOperationError,
  UserOperationError,
} from "../../../custos/userop/errors.js";

const custom = (errorName: string, args: readonly unknown[] = []) =>
  encodeErrorResult({ abi: custosAccountAbi, errorName, args } as Parameters<typeof encodeErrorResult>[0]);

/** What alto/viem produce when validation reverts with a Custos error: the EntryPoint wraps it. */
const wrapped = (inner: Hex) =>
  encodeErrorResult({ abi: entryPointAbi, errorName: "FailedOpWithRevert", args: [0n, "AA23 reverted", inner] });

describe("toUserOperationError: Custos contract errors", () => {
  const now = 1_000_000n;

  it("says how long is left before a recovery can be executed", () => {
    const error = toUserOperationError(
      new Error(`reverted: ${custom("RecoveryNotExecutable", [now + 3n * 3600n + 12n * 60n])}`),
      {
        now,
      },
    );
    assert.ok(error instanceof UserOperationError);
    assert.ok(error instanceof CustosError);
    assert.equal(error.code, "RecoveryNotExecutable");
    assert.equal(error.reason, "recovery not yet executable: 3 h 12 min left");
    assert.match(error.fix, /wait/);
  });

  it("explains a pending recovery freezing the owner key", () => {
    const error = toUserOperationError(new Error(`AA23 reverted ${wrapped(custom("RecoveryPending"))}`));
    assert.equal(error.code, "RecoveryPending");
    assert.match(error.reason, /a recovery is pending: the owner key is frozen until it is executed or cancelled/);
  });

  it("reports a lock with its remaining time", () => {
    const error = toUserOperationError(new Error(custom("AccountLocked", [now + 90n])), { now });
    assert.equal(error.code, "AccountLocked");
    assert.match(error.reason, /locked by a guardian for 1 min 30 s more/);
  });

  it("counts approvals", () => {
    const error = toUserOperationError(new Error(wrapped(custom("NotEnoughApprovals", [1n, 2n]))));
    assert.equal(error.code, "NotEnoughApprovals");
    assert.match(error.reason, /1 valid, 2 needed/);
  });

  for (const [name, args, pattern] of [
    ["ApprovalExpired", [5n], /approvals expired/],
    ["InvalidSignature", ["0x1111111111111111111111111111111111111111"], /signature of 0x1111.* is invalid/],
    ["ConfigMismatch", [`0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`], /does not match/],
    ["NoRecoveryPending", [], /no recovery is pending/],
    ["UnknownSigner", [7n], /#7 is not a current guardian/],
    ["InvalidNewOwner", ["0x1111111111111111111111111111111111111111"], /cannot become the owner/],
  ] as const) {
    it(`maps ${name}`, () => {
      const error = toUserOperationError(new Error(`x ${custom(name, args)} y`));
      assert.equal(error.code, name);
      assert.match(error.reason, pattern);
      assert.ok(error.fix.length > 0);
    });
  }

  it("finds revert data in a viem error's cause chain and in `data` fields", () => {
    const cause = Object.assign(new Error("execution reverted"), { data: custom("RecoveryPending") });
    const outer = new BaseError("UserOperation failed", { cause });
    assert.equal(toUserOperationError(outer).code, "RecoveryPending");
  });

  it("unwraps an executeBatch ExecuteError", () => {
    const batch = encodeErrorResult({
      abi: custosAccountAbi,
      errorName: "ExecuteError",
      args: [1n, custom("NotLocked")],
    });
    assert.equal(decodeCustosRevert(batch)?.errorName, "NotLocked");
  });

  it("prefers the Custos error over the AA code that wraps it", () => {
    const error = toUserOperationError(new Error(`AA23 reverted: ${wrapped(custom("ConfigUnchanged"))}`));
    assert.equal(error.code, "ConfigUnchanged");
  });
});

describe("toUserOperationError: EntryPoint codes", () => {
  it("covers AA10 to AA51 with a sentence and a fix", () => {
    for (const code of [
      "AA10",
      "AA13",
      "AA14",
      "AA15",
      "AA20",
      "AA21",
      "AA22",
      "AA23",
      "AA24",
      "AA25",
      "AA26",
    ] as const) {
      assert.ok(ENTRY_POINT_CODES[code], code);
    }
    for (const code of ["AA30", "AA31", "AA32", "AA33", "AA34", "AA36", "AA40", "AA41", "AA50", "AA51"] as const) {
      assert.ok(ENTRY_POINT_CODES[code], code);
    }
  });

  it("reads the code from a bundler message", () => {
    const error = toUserOperationError(
      new Error("UserOperation reverted during simulation with reason: AA24 signature error"),
    );
    assert.equal(error.code, "AA24");
    assert.match(error.reason, /signature does not match/);
  });

  it("reads alto's own validation messages that name no code", () => {
    assert.equal(toUserOperationError(new Error("User operation is not valid yet, validAfter=5, now=4")).code, "AA22");
    assert.equal(toUserOperationError(new Error("Invalid UserOp signature")).code, "AA24");
  });

  it("explains a missing prefund as a balance problem", () => {
    const error = toUserOperationError(new Error("AA21 didn't pay prefund"));
    assert.equal(error.code, "AA21");
    assert.match(error.fix, /send ETH to the account/);
  });

  it("uses viem's typed errors when the message has no code", () => {
    class InvalidAccountNonceError extends BaseError {
      override name = "InvalidAccountNonceError";
    }
    const error = toUserOperationError(new BaseError("failed", { cause: new InvalidAccountNonceError("nonce") }));
    assert.equal(error.code, "AA25");
  });

  it("says the bundler is unreachable on a connection failure", () => {
    const error = toUserOperationError(new Error("HTTP request failed. fetch failed"));
    assert.equal(error.code, "USEROP_BUNDLER_UNREACHABLE");
  });

  it("keeps unknown failures typed, with the original message as details", () => {
    const error = toUserOperationError(new Error("something odd"));
    assert.equal(error.code, "USEROP_FAILED");
    assert.equal(error.details, "something odd");
  });

  it("returns an existing UserOperationError unchanged", () => {
    const original = new UserOperationError("AA21", "a", "b");
    assert.equal(toUserOperationError(original), original);
  });
});

describe("revertedOperationError", () => {
  it("decodes the receipt's revert reason", () => {
    const error = revertedOperationError(custom("NoRecoveryPending"));
    assert.equal(error.code, "NoRecoveryPending");
    assert.match(error.reason, /included but reverted: no recovery is pending/);
  });

  it("falls back to a generic sentence for foreign revert data", () => {
    const error = revertedOperationError(concatHex(["0x08c379a0", `0x${"00".repeat(64)}`]));
    assert.equal(error.code, "USEROP_REVERTED");
    assert.match(error.reason, /the account paid the gas/);
  });
});

describe("refineWithAccountState", () => {
  const now = 1_000n;
  const vague = new UserOperationError("AA22", "not valid yet", "wait", { userOpHash: `0x${"ab".repeat(32)}` });

  it("names a guardian lock and its remaining time", () => {
    const error = refineWithAccountState(vague, { lockedUntil: now + 125n, recovering: false }, { now });
    assert.equal(error.code, "AccountLocked");
    assert.match(error.reason, /locked by a guardian for 2 min 5 s more/);
    assert.equal(error.userOpHash, vague.userOpHash);
  });

  it("names a pending recovery", () => {
    const dropped = new UserOperationError("USEROP_DROPPED", "dropped", "retry");
    const error = refineWithAccountState(dropped, { lockedUntil: 0n, recovering: true }, { now });
    assert.equal(error.code, "RecoveryPending");
  });

  it("never blames lock or recovery for a recovery self-call", () => {
    const state = { lockedUntil: now + 100n, recovering: true };
    assert.equal(refineWithAccountState(vague, state, { now, recoveryCall: true }), vague);
  });

  it("leaves precise errors and unexplained ones alone", () => {
    const precise = new UserOperationError("AA24", "bad signature", "sign again");
    assert.equal(refineWithAccountState(precise, { lockedUntil: now + 5n, recovering: true }, { now }), precise);
    assert.equal(refineWithAccountState(vague, { lockedUntil: now - 1n, recovering: false }, { now }), vague);
  });
});
