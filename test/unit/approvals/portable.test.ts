import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  approvalRequestLink,
  encodeApprovalRequest,
  encodeSignedApproval,
  parseApprovalRequest,
  parseSignedApproval,
} from "../../../custos/approvals/portable.js";
import { signApproval } from "../../../custos/approvals/sign.js";
import type { ApprovalRequest } from "../../../custos/approvals/typedData.js";
import { CustosError } from "../../../custos/errors.js";

const request: ApprovalRequest = {
  kind: "Rotation",
  chainId: 31337,
  account: "0x0705957dA410c18F3f05256810312241D924DA99",
  newOwner: "0xB0d7Ca6ce28Ec37D728Ce5FDB7e9Cdd1AC88D5C2",
  nonce: 3n,
  epoch: 2n,
  deadline: 2n ** 60n,
};

describe("portable approval formats", () => {
  it("round-trips a request through JSON, a link and the bare payload", () => {
    const json = encodeApprovalRequest(request);
    assert.deepEqual(parseApprovalRequest(json), request);
    const link = approvalRequestLink("http://127.0.0.1:3000/guardian", request);
    assert.match(link, /^http:\/\/127\.0\.0\.1:3000\/guardian\?request=[A-Za-z0-9_-]+$/);
    assert.deepEqual(parseApprovalRequest(link), request);
    assert.deepEqual(parseApprovalRequest(new URL(link).searchParams.get("request")!), request);
  });

  it("keeps large numbers exact as decimal strings", () => {
    const json = JSON.parse(encodeApprovalRequest(request)) as { deadline: string };
    assert.equal(json.deadline, (2n ** 60n).toString());
  });

  it("round-trips a signed approval", async () => {
    const signed = await signApproval(privateKeyToAccount(generatePrivateKey()), request);
    assert.deepEqual(parseSignedApproval(encodeSignedApproval(signed)), signed);
  });

  it("normalises v = 0/1 to 27/28", async () => {
    const signed = await signApproval(privateKeyToAccount(generatePrivateKey()), request);
    const v = parseInt(signed.signature.slice(130), 16);
    const raw = {
      ...JSON.parse(encodeSignedApproval(signed)),
      signature: `${signed.signature.slice(0, 130)}0${v - 27}`,
    };
    assert.equal(parseSignedApproval(JSON.stringify(raw)).signature, signed.signature);
  });

  const bad: [string, string, RegExp][] = [
    ["not JSON", "{nope", /malformed signature: it is not valid JSON/],
    ["another format", '{"custos":"approval-request"}', /not a Custos approval/],
    [
      "a bad address",
      JSON.stringify({
        custos: "approval",
        version: 1,
        kind: "Recovery",
        chainId: 1,
        account: "0x12",
        newOwner: request.newOwner,
        nonce: "0",
        epoch: "0",
        deadline: "1",
      }),
      /"account" is not an address/,
    ],
    [
      "a negative nonce",
      JSON.stringify({
        custos: "approval",
        version: 1,
        kind: "Recovery",
        chainId: 1,
        account: request.account,
        newOwner: request.newOwner,
        nonce: "-1",
        epoch: "0",
        deadline: "1",
      }),
      /"nonce" is not a non-negative integer/,
    ],
    ["an unknown version", JSON.stringify({ custos: "approval", version: 9 }), /unsupported version 9/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects a signature with ${what}`, () => {
      assert.throws(
        () => parseSignedApproval(text),
        (e: unknown) => e instanceof CustosError && message.test(e.shortMessage),
      );
    });
  }

  it("rejects a signature that is not hex", () => {
    const json = {
      ...JSON.parse(encodeApprovalRequest(request)),
      custos: "approval",
      signer: request.newOwner,
      signature: "xyz",
    };
    assert.throws(() => parseSignedApproval(JSON.stringify(json)), /malformed signature: "signature" is not hex/);
  });

  it("rejects a link without a request", () => {
    assert.throws(() => parseApprovalRequest("http://127.0.0.1:3000/guardian"), /no \?request= parameter/);
  });
});
