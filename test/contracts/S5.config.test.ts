import { expect } from "chai";
import { network } from "hardhat";
import { ZeroAddress } from "ethers";
import { DEMO_BOUNDS } from "../../custos/deploy/constants.js";
import { hashConfig, makeConfig, sortAddresses, type GuardianConfig } from "./helpers/config.js";
import { createAccount, deployCustosContracts, randomWallet } from "./helpers/fixture.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function fixture() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 3, threshold: 2 });
  const added = randomWallet(ethers).address;
  const next = makeConfig(sortAddresses([...setup.config.guardians, added]), 3);
  return { custos, setup, next };
}

async function noGuardians() {
  const custos = await deployCustosContracts(connection);
  const setup = await createAccount(custos, { guardians: 0, threshold: 0 });
  return { custos, setup };
}

describe("S5 delayed configuration changes", function () {
  async function requested() {
    const ctx = await fixture();
    await ctx.setup.account.connect(ctx.setup.owner).requestConfigChange(ctx.setup.config, ctx.next);
    const [readyAt, expiresAt] = await ctx.setup.account.pendingConfigChange(hashConfig(ctx.next));
    return { ...ctx, readyAt, expiresAt };
  }

  it("requestConfigChange records a window [now + securityPeriod, + securityWindow]", async function () {
    const { setup, next } = await networkHelpers.loadFixture(fixture);
    const tx = setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    const now = BigInt(await networkHelpers.time.latest()) + 1n;
    const readyAt = now + setup.config.securityPeriod;
    const expiresAt = readyAt + setup.config.securityWindow;
    await expect(tx).to.emit(setup.account, "ConfigChangeRequested");
    expect(await setup.account.pendingConfigChange(hashConfig(next))).to.deep.equal([readyAt, expiresAt]);
    expect(await setup.account.configHash()).to.equal(hashConfig(setup.config));
  });

  it("confirmConfigChange reverts before the security period", async function () {
    const { setup, next, readyAt, expiresAt } = await networkHelpers.loadFixture(requested);
    await networkHelpers.time.setNextBlockTimestamp(readyAt - 1n);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next))
      .to.be.revertedWithCustomError(setup.account, "ConfigChangeNotConfirmable")
      .withArgs(readyAt, expiresAt);
  });

  it("confirmConfigChange applies the change inside the window", async function () {
    const { setup, next, readyAt } = await networkHelpers.loadFixture(requested);
    await networkHelpers.time.setNextBlockTimestamp(readyAt);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next))
      .to.emit(setup.account, "ConfigApplied")
      .withArgs(
        1,
        hashConfig(next),
        next.guardians,
        3,
        next.recoveryDelay,
        next.securityPeriod,
        next.securityWindow,
        next.lockPeriod,
      );
    expect(await setup.account.configHash()).to.equal(hashConfig(next));
    expect(await setup.account.pendingConfigChange(hashConfig(next))).to.deep.equal([0n, 0n]);
  });

  it("confirmConfigChange succeeds at the last second of the window", async function () {
    const { setup, next, expiresAt } = await networkHelpers.loadFixture(requested);
    await networkHelpers.time.setNextBlockTimestamp(expiresAt);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.emit(setup.account, "ConfigApplied");
  });

  it("confirmConfigChange reverts after the security window", async function () {
    const { setup, next, readyAt, expiresAt } = await networkHelpers.loadFixture(requested);
    await networkHelpers.time.setNextBlockTimestamp(expiresAt + 1n);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next))
      .to.be.revertedWithCustomError(setup.account, "ConfigChangeNotConfirmable")
      .withArgs(readyAt, expiresAt);
  });

  it("cancelConfigChange by the owner voids the pending change", async function () {
    const { setup, next } = await networkHelpers.loadFixture(requested);
    await expect(setup.account.connect(setup.owner).cancelConfigChange(hashConfig(next)))
      .to.emit(setup.account, "ConfigChangeCancelled")
      .withArgs(0, hashConfig(next));
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next))
      .to.be.revertedWithCustomError(setup.account, "NoPendingConfigChange")
      .withArgs(hashConfig(next));
  });

  it("cancelConfigChange reverts when nothing is pending", async function () {
    const { setup, next } = await networkHelpers.loadFixture(fixture);
    await expect(setup.account.connect(setup.owner).cancelConfigChange(hashConfig(next))).to.be.revertedWithCustomError(
      setup.account,
      "NoPendingConfigChange",
    );
  });

  it("requestConfigChange reverts when the same change is already pending", async function () {
    const { setup, next } = await networkHelpers.loadFixture(requested);
    await expect(setup.account.connect(setup.owner).requestConfigChange(setup.config, next))
      .to.be.revertedWithCustomError(setup.account, "ConfigChangeAlreadyPending")
      .withArgs(hashConfig(next));
  });

  it("requestConfigChange reverts when the configuration is unchanged", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    await expect(
      setup.account.connect(setup.owner).requestConfigChange(setup.config, setup.config),
    ).to.be.revertedWithCustomError(setup.account, "ConfigUnchanged");
  });

  it("request, confirm and cancel are owner-only", async function () {
    const { setup, next } = await networkHelpers.loadFixture(requested);
    const guardian = setup.guardians[0]!;
    await expect(setup.account.connect(guardian).requestConfigChange(setup.config, next))
      .to.be.revertedWithCustomError(setup.account, "Unauthorized")
      .withArgs(guardian.address);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await expect(setup.account.connect(guardian).confirmConfigChange(next)).to.be.revertedWithCustomError(
      setup.account,
      "Unauthorized",
    );
    await expect(setup.account.connect(guardian).cancelConfigChange(hashConfig(next))).to.be.revertedWithCustomError(
      setup.account,
      "Unauthorized",
    );
  });

  it("removing guardians and lowering the threshold goes through the same delay", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const next = makeConfig(setup.config.guardians.slice(0, 1), 1);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    expect(await setup.account.configHash()).to.equal(hashConfig(setup.config));
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await setup.account.connect(setup.owner).confirmConfigChange(next);
    expect(await setup.account.configHash()).to.equal(hashConfig(next));
  });

  it("a delay change uses the current configuration's security period", async function () {
    const { setup } = await networkHelpers.loadFixture(fixture);
    const next = makeConfig(setup.config.guardians, 2, { recoveryDelay: 5000n, securityPeriod: 1000n });
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
    const [readyAt] = await setup.account.pendingConfigChange(hashConfig(next));
    expect(readyAt).to.equal(BigInt(await networkHelpers.time.latest()) + setup.config.securityPeriod);
  });

  it("confirming one change voids the other pending changes (epoch bump)", async function () {
    const { setup, next } = await networkHelpers.loadFixture(requested);
    const other = makeConfig(setup.config.guardians, 3);
    await setup.account.connect(setup.owner).requestConfigChange(setup.config, other);
    await networkHelpers.time.increase(setup.config.securityPeriod);
    await setup.account.connect(setup.owner).confirmConfigChange(other);
    await expect(setup.account.connect(setup.owner).confirmConfigChange(next)).to.be.revertedWithCustomError(
      setup.account,
      "NoPendingConfigChange",
    );
  });

  it("adding guardians to an account without guardians is immediate", async function () {
    const { setup } = await networkHelpers.loadFixture(noGuardians);
    const next = makeConfig(sortAddresses([randomWallet(ethers).address, randomWallet(ethers).address]), 1);
    await expect(setup.account.connect(setup.owner).requestConfigChange(setup.config, next))
      .to.emit(setup.account, "ConfigApplied")
      .and.not.to.emit(setup.account, "ConfigChangeRequested");
    expect(await setup.account.configHash()).to.equal(hashConfig(next));
  });

  describe("configuration validation", function () {
    async function expectRejected(
      build: (config: GuardianConfig, owner: string, account: string) => GuardianConfig,
      error: string,
      args?: (next: GuardianConfig) => unknown[],
    ) {
      const { setup } = await networkHelpers.loadFixture(fixture);
      const next = build(setup.config, setup.owner.address, await setup.account.getAddress());
      const assertion = expect(
        setup.account.connect(setup.owner).requestConfigChange(setup.config, next),
      ).to.be.revertedWithCustomError(setup.account, error);
      if (args) await assertion.withArgs(...args(next));
      else await assertion;
    }

    it("requestConfigChange rejects a threshold above the guardian count", async function () {
      await expectRejected(
        (c) => makeConfig(c.guardians.slice(0, 2), 3),
        "InvalidThreshold",
        () => [3, 2],
      );
    });

    it("requestConfigChange rejects a zero threshold with guardians", async function () {
      await expectRejected(
        (c) => makeConfig(c.guardians, 0),
        "InvalidThreshold",
        () => [0, 3],
      );
    });

    it("requestConfigChange rejects a non-zero threshold without guardians", async function () {
      await expectRejected(
        () => makeConfig([], 1),
        "InvalidThreshold",
        () => [1, 0],
      );
    });

    it("requestConfigChange rejects unsorted guardians", async function () {
      await expectRejected(
        (c) => makeConfig([...c.guardians].reverse(), 2),
        "GuardiansNotSorted",
        () => [1],
      );
    });

    it("requestConfigChange rejects duplicate guardians", async function () {
      await expectRejected(
        (c) => makeConfig([c.guardians[0]!, c.guardians[0]!, c.guardians[1]!], 2),
        "GuardiansNotSorted",
        () => [1],
      );
    });

    it("requestConfigChange rejects the zero address as guardian", async function () {
      await expectRejected(
        (c) => makeConfig([ZeroAddress, ...c.guardians], 2),
        "InvalidGuardian",
        () => [ZeroAddress],
      );
    });

    it("requestConfigChange rejects the owner as guardian", async function () {
      await expectRejected((c, owner) => makeConfig(sortAddresses([owner, ...c.guardians]), 2), "InvalidGuardian");
    });

    it("requestConfigChange rejects the account itself as guardian", async function () {
      await expectRejected(
        (c, _owner, account) => makeConfig(sortAddresses([account, ...c.guardians]), 2),
        "InvalidGuardian",
      );
    });

    it("requestConfigChange rejects more than 16 guardians", async function () {
      const many = sortAddresses(Array.from({ length: 17 }, () => randomWallet(ethers).address));
      await expectRejected(
        () => makeConfig(many, 2),
        "TooManyGuardians",
        () => [17, 16],
      );
    });

    it("requestConfigChange accepts exactly 16 guardians", async function () {
      const { setup } = await networkHelpers.loadFixture(fixture);
      const many = sortAddresses(Array.from({ length: 16 }, () => randomWallet(ethers).address));
      await expect(setup.account.connect(setup.owner).requestConfigChange(setup.config, makeConfig(many, 16))).to.emit(
        setup.account,
        "ConfigChangeRequested",
      );
    });

    const bounds = [
      { which: 0, field: "recoveryDelay", min: DEMO_BOUNDS.minRecoveryDelay, max: DEMO_BOUNDS.maxRecoveryDelay },
      { which: 1, field: "securityPeriod", min: DEMO_BOUNDS.minSecurityPeriod, max: DEMO_BOUNDS.maxSecurityPeriod },
      { which: 2, field: "securityWindow", min: DEMO_BOUNDS.minSecurityWindow, max: DEMO_BOUNDS.maxSecurityWindow },
      { which: 3, field: "lockPeriod", min: DEMO_BOUNDS.minLockPeriod, max: DEMO_BOUNDS.maxLockPeriod },
    ] as const;

    for (const { which, field, min, max } of bounds) {
      // Keep recoveryDelay ≥ securityPeriod + securityWindow whichever field is probed.
      const base = { recoveryDelay: BigInt(DEMO_BOUNDS.maxRecoveryDelay), securityPeriod: 100n, securityWindow: 100n };
      for (const [label, value, ok] of [
        ["below the minimum", BigInt(min) - 1n, false],
        ["at the minimum", BigInt(min), true],
        ["at the maximum", BigInt(max), true],
        ["above the maximum", BigInt(max) + 1n, false],
      ] as const) {
        it(`requestConfigChange ${ok ? "accepts" : "rejects"} ${field} ${label}`, async function () {
          const { setup } = await networkHelpers.loadFixture(fixture);
          const delays = { ...base, [field]: value };
          if (field !== "recoveryDelay") delays.recoveryDelay = BigInt(DEMO_BOUNDS.maxRecoveryDelay);
          else {
            delays.securityPeriod = BigInt(DEMO_BOUNDS.minSecurityPeriod);
            delays.securityWindow = BigInt(DEMO_BOUNDS.minSecurityWindow);
          }
          const next = makeConfig(setup.config.guardians, 3, delays);
          const tx = setup.account.connect(setup.owner).requestConfigChange(setup.config, next);
          if (ok) await expect(tx).to.emit(setup.account, "ConfigChangeRequested");
          else
            await expect(tx)
              .to.be.revertedWithCustomError(setup.account, "DelayOutOfBounds")
              .withArgs(which, value, min, max);
        });
      }
    }

    it("requestConfigChange rejects recoveryDelay below securityPeriod + securityWindow", async function () {
      await expectRejected(
        (c) => makeConfig(c.guardians, 3, { recoveryDelay: 299n, securityPeriod: 100n, securityWindow: 200n }),
        "RecoveryDelayTooShort",
        () => [299, 300],
      );
    });

    it("requestConfigChange accepts recoveryDelay equal to securityPeriod + securityWindow", async function () {
      const { setup } = await networkHelpers.loadFixture(fixture);
      const next = makeConfig(setup.config.guardians, 3, {
        recoveryDelay: 300n,
        securityPeriod: 100n,
        securityWindow: 200n,
      });
      await expect(setup.account.connect(setup.owner).requestConfigChange(setup.config, next)).to.emit(
        setup.account,
        "ConfigChangeRequested",
      );
    });

    it("requestConfigChange rejects a current configuration that is not the stored one", async function () {
      const { setup, next } = await networkHelpers.loadFixture(fixture);
      await expect(
        setup.account.connect(setup.owner).requestConfigChange(next, setup.config),
      ).to.be.revertedWithCustomError(setup.account, "ConfigMismatch");
    });
  });
});
