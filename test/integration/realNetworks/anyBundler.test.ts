/**
 * R2: a full UserOperation (account creation + transfer) through a bundler without Pimlico's extras
 * (a proxy in front of the real alto refuses every pimlico_* method): fees come from the chain, the
 * status from eth_getUserOperationByHash and the receipt, and the vendor methods are asked once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createCustosBundlerClient } from "../../../custos/smartAccount/bundler.js";
import { toCustosSmartAccount } from "../../../custos/smartAccount/toCustosSmartAccount.js";
import { assertIncluded, runUserOperation, type UserOperationState } from "../../../custos/userop/lifecycle.js";
import { offersMethod } from "../../../custos/userop/vendorMethods.js";
import { demoConfig, startFixture, type Fixture } from "../helpers/fixture.js";
import { startBundlerProxy, type BundlerProxy } from "./helpers/bundlerProxy.js";

const fresh = () => privateKeyToAccount(generatePrivateKey());

describe("a bundler without pimlico_* methods", { timeout: 240_000 }, () => {
  let fx: Fixture;
  let proxy: BundlerProxy;

  before(async () => {
    fx = await startFixture({ chainPort: 8812, bundlerPort: 4510 });
    proxy = await startBundlerProxy({ port: 4511, upstream: fx.stack.bundlerUrl });
  });
  after(async () => {
    await proxy?.stop();
    await fx?.stack.stop();
  });

  it("creates an account and transfers in UserOperations, with status reported", async () => {
    const owner = fresh();
    const account = await toCustosSmartAccount({
      client: fx.client,
      owner,
      factory: fx.stack.deployment.factory,
      config: demoConfig([fresh()], 1),
    });
    const bundlerClient = createCustosBundlerClient({ client: fx.client, account, bundlerUrl: proxy.url });
    await fx.fund(account.address, "1");
    const recipient = fresh().address;

    for (const value of [parseEther("0.01"), parseEther("0.02")]) {
      const states: UserOperationState[] = [];
      const final = await runUserOperation({
        bundlerClient,
        calls: [{ to: recipient, value }],
        onState: (s) => states.push(s),
      });
      const receipt = assertIncluded(final);
      assert.equal(receipt.success, true);
      assert.deepEqual(
        [...new Set(states.map((s) => s.status))],
        ["preparing", "awaiting-signature", "submitted", "included"],
      );
    }
    assert.equal(await fx.balance(recipient), parseEther("0.03"));
    assert.equal(await fx.client.getCode({ address: account.address }).then((c) => (c ?? "0x").length > 2), true);

    // Standard methods did the work; each vendor method was asked once, then remembered as absent.
    assert.ok((proxy.calls.eth_getUserOperationReceipt ?? 0) >= 2);
    assert.ok((proxy.calls.eth_getUserOperationByHash ?? 0) >= 1);
    assert.ok((proxy.calls.eth_estimateUserOperationGas ?? 0) >= 2);
    assert.equal(proxy.calls.pimlico_getUserOperationGasPrice, 1);
    assert.ok((proxy.calls.pimlico_getUserOperationStatus ?? 0) <= 1);
    assert.equal(offersMethod(bundlerClient, "pimlico_getUserOperationGasPrice"), false);
  });
});
