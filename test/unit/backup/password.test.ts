import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  EmptyInputError,
  MIN_PASSWORD_LENGTH,
  WeakPasswordError,
  assertStrongBackupPassword,
  backupPasswordStrength,
} from "../../../custos/backup/index.js";

describe("B2 backup password strength", () => {
  it("accepts a long unguessable passphrase and reports score 4", () => {
    const strength = backupPasswordStrength("vector-1 lunar kettle orbit");
    assert.equal(strength.acceptable, true);
    assert.equal(strength.score, 4);
    assert.doesNotThrow(() => assertStrongBackupPassword("vector-1 lunar kettle orbit"));
  });

  it("rejects a password shorter than the minimum length whatever its score", () => {
    const strength = backupPasswordStrength("Xq7#pL2!");
    assert.equal(strength.acceptable, false);
    assert.match(strength.warning, new RegExp(`at least ${MIN_PASSWORD_LENGTH} characters`));
  });

  it("rejects a long but common password with a low score", () => {
    const strength = backupPasswordStrength("password1234");
    assert.equal(strength.acceptable, false);
    assert.ok(strength.score < 3);
    assert.throws(() => assertStrongBackupPassword("password1234"), WeakPasswordError);
  });

  it("rejects a keyboard pattern", () => {
    assert.throws(() => assertStrongBackupPassword("qwertyuiopasdf"), WeakPasswordError);
  });

  it("scores a password built from the user's own inputs lower", () => {
    assert.equal(backupPasswordStrength("zorbulaxkitrevan").score, 4);
    const personal = backupPasswordStrength("zorbulaxkitrevan", ["zorbulaxkitrevan"]);
    assert.equal(personal.score, 0);
    assert.equal(personal.acceptable, false);
  });

  it("exposes scores 0..4 for a strength meter", () => {
    for (const pw of ["", "a", "correct horse", "vector-1 lunar kettle orbit"]) {
      const { score } = backupPasswordStrength(pw);
      assert.ok(score >= 0 && score <= 4);
    }
  });

  it("rejects an empty password with EmptyInputError", () => {
    assert.throws(() => assertStrongBackupPassword(""), EmptyInputError);
  });
});
