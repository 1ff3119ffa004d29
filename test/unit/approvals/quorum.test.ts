import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cancelQuorum, recoveryQuorum, rotationQuorum } from "../../../custos/approvals/quorum.js";

describe("quorums", () => {
  it("a cancel needs ⌈(n+1)/2⌉: the owner alone only when there is a single guardian", () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(cancelQuorum), [1, 2, 2, 3, 3]);
  });
  it("a rotation needs ⌈n/2⌉ guardians", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(rotationQuorum), [0, 1, 1, 2, 2, 3]);
  });
  it("a recovery needs the threshold", () => {
    assert.equal(recoveryQuorum(2n), 2);
  });
});
