import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, http, parseAbi, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { buildApprovalRequest } from "../../../custos/approvals/build.js";
import { signApproval } from "../../../custos/approvals/sign.js";
import { verifyApproval, type ApprovalExpectation } from "../../../custos/approvals/verify.js";
import { aggregateApprovals } from "../../../custos/approvals/aggregate.js";
import { decodeSignatureBlob } from "../../../custos/approvals/signatureBlob.js";
import type { ApprovalRequest } from "../../../custos/approvals/typedData.js";
import type { SignedApproval } from "../../../custos/approvals/types.js";
import { ApprovalError } from "../../../custos/errors.js";
import { loadAccountContext, type AccountContext } from "../../../custos/actions/context.js";
import { collectApprovals } from "../../../custos/actions/collectApprovals.js";
import { startRecovery } from "../../../custos/actions/startRecovery.js";
import { verifyLiveApproval } from "../../../custos/actions/verifyLiveApproval.js";
import { demoConfig, startLocalChain, type LocalChain } from "../../helpers/localChain.js";

function isApprovalError(code: string, message: RegExp) {
  return (e: unknown) => e instanceof ApprovalError && e.code === code && message.test(e.shortMessage);
}

describe("approvals: sign, verify, aggregate", () => {
  let chain: LocalChain;
  let guardians: PrivateKeyAccount[];
  let multisigSigner: PrivateKeyAccount;
  let multisig: Address;
  let account: Address;
  let ctx: AccountContext;
  let request: ApprovalRequest;
  let expected: ApprovalExpectation;
  const newOwner = privateKeyToAccount(generatePrivateKey()).address;

  before(async () => {
    chain = await startLocalChain(8664);
    guardians = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    multisigSigner = privateKeyToAccount(generatePrivateKey());
    multisig = await chain.deployArtifact("contracts/test/MultisigGuardian.sol", "MultisigGuardian", [
      multisigSigner.address,
    ]);
    const owner = privateKeyToAccount(generatePrivateKey());
    account = await chain.createAccount(owner.address, demoConfig([...guardians.map((g) => g.address), multisig], 2));
    ctx = await loadAccountContext(chain.client, account);
    request = await buildApprovalRequest(chain.client, { account, kind: "Recovery", newOwner });
    expected = {
      chainId: ctx.chainId,
      account,
      kind: "Recovery",
      newOwner,
      nonce: ctx.nonce,
      epoch: ctx.epoch,
      now: ctx.now,
      config: ctx.config,
    };
  });
  after(async () => chain?.stop());

  it("builds a request bound to the chain, the account and its current nonce and epoch", () => {
    assert.equal(request.chainId, 31337);
    assert.equal(request.account, account);
    assert.equal(request.nonce, 0n);
    assert.equal(request.epoch, 0n);
    assert.ok(request.deadline > ctx.now);
  });

  it("verifies an EOA guardian's signature and places it at its guardian index", async () => {
    const signed = await signApproval(guardians[0]!, request);
    const verified = await verifyApproval(chain.client, signed, expected);
    assert.equal(verified.signatureKind, "ecdsa");
    assert.equal(verified.index, ctx.config.guardians.indexOf(guardians[0]!.address));
  });

  it("signs through a WalletClient as well as a local key", async () => {
    const wallet = createWalletClient({ account: guardians[1]!, transport: http(chain.rpcUrl) });
    const signed = await signApproval(wallet, request);
    assert.equal(signed.signer, guardians[1]!.address);
    await verifyApproval(chain.client, signed, expected);
  });

  it("verifies a contract guardian through isValidSignature (ERC-1271)", async () => {
    const signed = await signApproval(multisigSigner, request, { signerAddress: multisig });
    const verified = await verifyApproval(chain.client, signed, expected);
    assert.equal(verified.signatureKind, "erc1271");
  });

  it("rejects an approval signed for another chain", async () => {
    const signed = await signApproval(guardians[0]!, { ...request, chainId: 1 });
    await assert.rejects(
      verifyApproval(chain.client, signed, expected),
      isApprovalError("WRONG_CHAIN", /^approval signed for another chain/),
    );
  });

  it("rejects an approval signed for another account", async () => {
    const other = privateKeyToAccount(generatePrivateKey()).address;
    const signed = await signApproval(guardians[0]!, { ...request, account: other });
    await assert.rejects(
      verifyApproval(chain.client, signed, expected),
      isApprovalError("WRONG_ACCOUNT", /^approval signed for another account/),
    );
  });

  it("rejects a signer that is not a guardian, naming it", async () => {
    const stranger = privateKeyToAccount(generatePrivateKey());
    const signed = await signApproval(stranger, request);
    await assert.rejects(
      verifyApproval(chain.client, signed, expected),
      isApprovalError("NOT_A_GUARDIAN", new RegExp(`^signer ${stranger.address} is not a guardian of this account$`)),
    );
  });

  it("rejects an expired approval with its expiry time", async () => {
    const signed = await signApproval(guardians[0]!, { ...request, deadline: ctx.now - 1n });
    await assert.rejects(
      verifyApproval(chain.client, signed, expected),
      isApprovalError("EXPIRED", /^approval expired at \d{4}-/),
    );
  });

  it("rejects a stale approval (nonce or epoch changed)", async () => {
    for (const stale of [{ nonce: 1n }, { epoch: 1n }]) {
      const signed = await signApproval(guardians[0]!, { ...request, ...stale });
      await assert.rejects(
        verifyApproval(chain.client, signed, expected),
        isApprovalError("STALE", /^approval is stale: the account's configuration or recovery nonce changed/),
      );
    }
  });

  it("rejects a signature made by someone else than its claimed signer", async () => {
    const forged: SignedApproval = { ...(await signApproval(guardians[1]!, request)), signer: guardians[0]!.address };
    await assert.rejects(
      verifyApproval(chain.client, forged, expected),
      isApprovalError("WRONG_SIGNER", /was not made by/),
    );
  });

  it("rejects a high-s signature like the contract does", async () => {
    const signed = await signApproval(guardians[0]!, request);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${signed.signature.slice(66, 130)}`);
    const v = parseInt(signed.signature.slice(130, 132), 16);
    const highS =
      `${signed.signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${(v === 27 ? 28 : 27).toString(16)}` as const;
    await assert.rejects(
      verifyApproval(chain.client, { ...signed, signature: highS as `0x${string}` }, expected),
      isApprovalError("MALFORMED", /canonical/),
    );
  });

  it("aggregates approvals sorted by guardian index, one entry per signer", async () => {
    const signed = await Promise.all([
      signApproval(multisigSigner, request, { signerAddress: multisig }),
      signApproval(guardians[1]!, request),
      signApproval(guardians[0]!, request),
      signApproval(guardians[0]!, request),
    ]);
    const verified = await Promise.all(signed.map((s) => verifyApproval(chain.client, s, expected)));
    const { signatures, approvals } = aggregateApprovals(verified);
    assert.equal(approvals.length, 3);
    const entries = decodeSignatureBlob(signatures);
    assert.deepEqual(
      entries.map((e) => e.index),
      [0, 1, 2],
    );
    assert.deepEqual(
      entries.map((e) => e.kind),
      approvals.map((a) => a.signatureKind),
    );
  });

  it("refuses to aggregate approvals of different requests", async () => {
    const a = await verifyApproval(chain.client, await signApproval(guardians[0]!, request), expected);
    const later = { ...request, deadline: request.deadline + 1n };
    const b = await verifyApproval(chain.client, await signApproval(guardians[1]!, later), expected);
    assert.throws(() => aggregateApprovals([a, b]), isApprovalError("MALFORMED", /different requests/));
  });

  it("verifies an approval against the live account in one call", async () => {
    const signed = await signApproval(guardians[0]!, request);
    const verified = await verifyLiveApproval(chain.client, signed);
    assert.equal(verified.signer, guardians[0]!.address);
    await assert.rejects(
      verifyLiveApproval(chain.client, { ...signed, chainId: 5 }),
      isApprovalError("WRONG_CHAIN", /^approval signed for another chain/),
    );
  });

  it("collects a quorum that the contract accepts (EOA + ERC-1271 guardian)", async () => {
    const signed = [
      await signApproval(guardians[0]!, request),
      await signApproval(multisigSigner, request, { signerAddress: multisig }),
    ];
    const collected = await collectApprovals(chain.client, ctx, "Recovery", signed);
    assert.equal(collected.count, 2);
    const relayer = chain.wallet(await chain.fundedKey());
    await startRecovery(chain.client, relayer, { account, approvals: signed });
    const recovering = await chain.client.readContract({
      address: account,
      abi: parseAbi(["function pendingRecovery() view returns (address, uint256, uint256)"]),
      functionName: "pendingRecovery",
    });
    assert.equal(recovering[0], newOwner);
  });
});
