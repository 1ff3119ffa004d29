import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contextFromConfig, normalizeContext, toGuardianConfig } from "../../../custos/backup/context.js";
import { normalizeConfig } from "../../../custos/config.js";

describe("contextFromConfig", () => {
  it("describes the on-chain configuration so that toGuardianConfig gives it back", () => {
    const config = normalizeConfig({
      guardians: ["0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"],
      threshold: 2,
      recoveryDelay: 120,
      securityPeriod: 30,
      securityWindow: 60,
      lockPeriod: 300,
    });
    const context = contextFromConfig(
      "0xcf4b9eDAc251341798f101685d15cAa49218Ac2b",
      { chainId: 31337, factory: "0x5E1671A60F0Fc9Ddc48a1E46E778825C82f36c80" },
      config,
      new Date("2026-11-23T00:00:00Z"),
    );
    assert.deepEqual(toGuardianConfig(normalizeContext(context)), config);
    assert.equal(context.createdAt, "2026-11-23T00:00:00.000Z");
    assert.equal(context.chainId, 31337);
  });
});
