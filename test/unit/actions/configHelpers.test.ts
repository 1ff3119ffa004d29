import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { addGuardian, removeGuardian, setDelays, setThreshold } from "../../../custos/actions/configHelpers.js";
import { normalizeConfig } from "../../../custos/config.js";
import { InvalidInputError } from "../../../custos/errors.js";

const address = () => privateKeyToAccount(generatePrivateKey()).address;
const [a, b, c] = [address(), address(), address()];
const base = normalizeConfig({
  guardians: [a, b],
  threshold: 2,
  recoveryDelay: 120,
  securityPeriod: 30,
  securityWindow: 60,
  lockPeriod: 300,
});

const invalid = (message: RegExp) => (e: unknown) => e instanceof InvalidInputError && message.test(e.shortMessage);

describe("configuration helpers", () => {
  it("addGuardian inserts in ascending order and keeps the threshold", () => {
    const next = addGuardian(base, c);
    assert.equal(next.guardians.length, 3);
    assert.deepEqual(
      next.guardians,
      [...next.guardians].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)),
    );
    assert.equal(next.threshold, 2n);
  });

  it("addGuardian to an account without guardians sets threshold 1", () => {
    const empty = normalizeConfig({ ...base, guardians: [], threshold: 0 });
    assert.equal(addGuardian(empty, a).threshold, 1n);
  });

  it("addGuardian refuses a guardian already present", () => {
    assert.throws(() => addGuardian(base, a), invalid(/is already a guardian/));
  });

  it("removeGuardian lowers the threshold so it stays reachable", () => {
    const next = removeGuardian(base, a);
    assert.deepEqual(next.guardians, [b]);
    assert.equal(next.threshold, 1n);
  });

  it("removing the last guardian leaves threshold 0", () => {
    assert.equal(removeGuardian(removeGuardian(base, a), b).threshold, 0n);
  });

  it("removeGuardian refuses an address that is not a guardian, and an unreachable explicit threshold", () => {
    assert.throws(() => removeGuardian(base, c), invalid(/is not a guardian/));
    assert.throws(() => removeGuardian(base, a, { threshold: 2n }), invalid(/between 1 and 1/));
  });

  it("setThreshold checks 1..n", () => {
    assert.equal(setThreshold(base, 1n).threshold, 1n);
    assert.throws(() => setThreshold(base, 3n), invalid(/between 1 and 2/));
    assert.throws(() => setThreshold(base, 0n), invalid(/between 1 and 2/));
  });

  it("setDelays keeps recoveryDelay ≥ securityPeriod + securityWindow", () => {
    assert.equal(setDelays(base, { lockPeriod: 600n }).lockPeriod, 600n);
    assert.throws(
      () => setDelays(base, { securityWindow: 100n }),
      invalid(/at least the security period plus window \(130 s\)/),
    );
  });
});
