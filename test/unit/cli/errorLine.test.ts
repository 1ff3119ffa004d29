import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserOperationError } from "../../../custos/userop/errors.js";
import { AccountStateError } from "../../../custos/errors.js";
import { errorLine } from "../../../scripts/commands/errorLine.js";

describe("CLI error lines", () => {
  it("prints a library error's sentence", () => {
    assert.equal(
      errorLine(new AccountStateError("TOO_EARLY", "recovery not yet executable: 2 min left")),
      "recovery not yet executable: 2 min left",
    );
  });

  it("replaces 'see the details below' with the innermost technical detail", () => {
    const cause = Object.assign(new Error("RPC Request failed."), {
      details: "User operation is not valid yet, validAfter=2, now=1",
    });
    const error = new UserOperationError("USEROP_FAILED", "the operation failed", "see the details below", {
      details: "RPC Request failed.",
      cause,
    });
    assert.equal(errorLine(error), "The operation failed: User operation is not valid yet, validAfter=2, now=1");
  });
});
