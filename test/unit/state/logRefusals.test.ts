/** R1: the log reader recognises providers' "range too wide / result too large" answers, and only those. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidParamsRpcError, LimitExceededRpcError, RpcRequestError, UnknownRpcError } from "viem";
import { rangeRefusal } from "../../../custos/state/logs.js";

const rpcError = (code: number, message: string) =>
  new RpcRequestError({ body: { method: "eth_getLogs" }, error: { code, message }, url: "http://127.0.0.1" });

describe("rangeRefusal", () => {
  const refusals: [provider: string, error: Error, suggested?: bigint][] = [
    [
      "Alchemy, with a range that works",
      new InvalidParamsRpcError(
        rpcError(
          -32602,
          "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x10, 0x3f7]",
        ),
      ),
      1000n,
    ],
    [
      "Alchemy free tier",
      rpcError(-32600, "Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range."),
      10n,
    ],
    [
      "Infura, too many results",
      new LimitExceededRpcError(
        rpcError(-32005, "query returned more than 10000 results. Try with this block range [0x1, 0x64]."),
      ),
      100n,
    ],
    ["QuickNode", rpcError(-32614, "eth_getLogs is limited to a 10,000 range"), 10_000n],
    ["BSC / Base public nodes", rpcError(-32000, "exceed maximum block range: 5000"), 5000n],
    ["Ankr", rpcError(-32062, "block range is too wide")],
    ["Besu", rpcError(-32602, "Requested range exceeds maximum range limit")],
    ["geth, slow query", rpcError(-32000, "query timeout exceeded")],
    ["Cloudflare", rpcError(-32047, "Max range: 800"), 800n],
    ["Nethermind", rpcError(-32016, "too many blocks in range")],
  ];
  for (const [provider, error, suggested] of refusals) {
    it(`recognises ${provider}`, () => {
      const refusal = rangeRefusal(error);
      assert.ok(refusal, "a refusal");
      assert.equal(refusal.suggestedRange, suggested);
    });
  }

  it("does not take a rate limit, a network error or a revert for a refusal", () => {
    assert.equal(
      rangeRefusal(new LimitExceededRpcError(rpcError(-32005, "daily request count exceeded, request rate limited"))),
      undefined,
    );
    assert.equal(rangeRefusal(rpcError(429, "Too Many Requests")), undefined);
    assert.equal(rangeRefusal(new UnknownRpcError(new Error("fetch failed"))), undefined);
    assert.equal(rangeRefusal(rpcError(3, "execution reverted")), undefined);
  });
});
