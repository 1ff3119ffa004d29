import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeUserOperationState } from "../../../custos/userop/format.js";
import { UserOperationError } from "../../../custos/userop/errors.js";

const hash = `0x${"ab".repeat(32)}` as const;

describe("describeUserOperationState", () => {
  it("names every step in plain words", () => {
    assert.match(describeUserOperationState({ status: "preparing" }), /Preparing/);
    assert.match(
      describeUserOperationState({ status: "submitted", userOpHash: hash, hashes: [hash], attempt: 1 }),
      /^Submitted 0xabababab…ababab$/,
    );
    assert.match(
      describeUserOperationState({
        status: "submitted",
        userOpHash: hash,
        hashes: [hash, hash],
        attempt: 2,
        bundlerStatus: "not_submitted",
      }),
      /replacement #1, higher fees\), queued by the bundler/,
    );
  });

  it("carries the typed error's sentence for failures", () => {
    const error = new UserOperationError("USEROP_DROPPED", "the bundler dropped the operation", "send it again");
    assert.equal(
      describeUserOperationState({ status: "dropped", userOpHash: hash, error }),
      "Dropped: The bundler dropped the operation. Send it again.",
    );
  });
});
