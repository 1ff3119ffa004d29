import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { concat, hashTypedData, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { readArtifact } from "../../../custos/deploy/artifacts.js";
import { decodeSignatureBlob, encodeSignatureBlob } from "../../../custos/approvals/signatureBlob.js";
import { approvalTypedData } from "../../../custos/approvals/typedData.js";
import { ApprovalError } from "../../../custos/errors.js";
import { normalizeConfig } from "../../../custos/config.js";
import { startLocalChain, type LocalChain } from "../../helpers/localChain.js";

describe("signature blob codec against the contract's parser", () => {
  let chain: LocalChain;
  let harness: Address;
  const keys = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
  const guardians = normalizeConfig({
    guardians: keys.map((k) => k.address),
    threshold: 1,
    recoveryDelay: 0,
    securityPeriod: 0,
    securityWindow: 0,
    lockPeriod: 0,
  }).guardians;
  const byIndex = guardians.map((g) => keys.find((k) => k.address === g)!);
  const typedData = approvalTypedData({
    kind: "Recovery",
    chainId: 31337,
    account: "0x0705957dA410c18F3f05256810312241D924DA99",
    newOwner: "0xB0d7Ca6ce28Ec37D728Ce5FDB7e9Cdd1AC88D5C2",
    nonce: 0n,
    epoch: 0n,
    deadline: 1n,
  });
  const digest = hashTypedData(typedData);
  let sigs: Hex[];

  const onChain = async (blob: Hex) => {
    const { abi } = readArtifact("contracts/test/GuardianSignaturesHarness.sol", "GuardianSignaturesHarness");
    return chain.client.readContract({
      address: harness,
      abi,
      functionName: "verify",
      args: [digest, guardians, "0x0000000000000000000000000000000000000000", blob, 0n, true],
    }) as Promise<bigint>;
  };

  before(async () => {
    chain = await startLocalChain(8666);
    harness = await chain.deployArtifact("contracts/test/GuardianSignaturesHarness.sol", "GuardianSignaturesHarness");
    sigs = await Promise.all(byIndex.map((k) => k.signTypedData(typedData)));
  });
  after(async () => chain?.stop());

  it("encodes entries in index order, and the contract counts every one", async () => {
    const blob = encodeSignatureBlob([
      { index: 2, kind: "ecdsa", signature: sigs[2]! },
      { index: 0, kind: "ecdsa", signature: sigs[0]! },
    ]);
    assert.deepEqual(
      decodeSignatureBlob(blob).map((e) => e.index),
      [0, 2],
    );
    assert.equal(await onChain(blob), 0b101n);
  });

  it("a truncated blob is rejected by both the decoder and the contract", async () => {
    const blob = encodeSignatureBlob([{ index: 0, kind: "ecdsa", signature: sigs[0]! }]);
    const truncated = blob.slice(0, -2) as Hex;
    assert.throws(
      () => decodeSignatureBlob(truncated),
      (e: unknown) => e instanceof ApprovalError && /truncated/.test(e.shortMessage),
    );
    await assert.rejects(onChain(truncated), /MalformedSignatures/);
  });

  it("a padded blob is rejected by both", async () => {
    const padded = concat([encodeSignatureBlob([{ index: 0, kind: "ecdsa", signature: sigs[0]! }]), "0x00"]);
    assert.throws(() => decodeSignatureBlob(padded), /truncated/);
    await assert.rejects(onChain(padded), /MalformedSignatures/);
  });

  it("unsorted or duplicate entries are rejected by both", async () => {
    const one = encodeSignatureBlob([{ index: 1, kind: "ecdsa", signature: sigs[1]! }]);
    const zero = encodeSignatureBlob([{ index: 0, kind: "ecdsa", signature: sigs[0]! }]);
    const unsorted = concat([one, zero]);
    assert.throws(() => decodeSignatureBlob(unsorted), /sorted/);
    await assert.rejects(onChain(unsorted), /SignersNotSorted/);
    assert.throws(
      () =>
        encodeSignatureBlob([
          { index: 1, kind: "ecdsa", signature: sigs[1]! },
          { index: 1, kind: "ecdsa", signature: sigs[1]! },
        ]),
      (e: unknown) => e instanceof ApprovalError && e.code === "DUPLICATE",
    );
  });

  it("an empty blob is rejected by both", async () => {
    assert.throws(() => decodeSignatureBlob("0x"), /empty/);
    assert.throws(() => encodeSignatureBlob([]), /no signatures/);
    await assert.rejects(onChain("0x"), /EmptySignatures/);
  });

  it("an ECDSA signature of the wrong length is refused before it reaches the chain", () => {
    assert.throws(
      () => encodeSignatureBlob([{ index: 0, kind: "ecdsa", signature: sigs[0]!.slice(0, -2) as Hex }]),
      /must be 65 bytes, this one is 64/,
    );
  });
});
