import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeFunctionData, parseAbi, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { executeBatch } from "../../../custos/actions/execute.js";
import type { Call } from "../../../custos/actions/types.js";
import { listTokenApprovals } from "../../../custos/tokens/listTokenApprovals.js";
import { revokeAllCalls } from "../../../custos/tokens/revokeAllCalls.js";
import { demoConfig, startLocalChain, type LocalChain } from "../../helpers/localChain.js";

const mintAbi = parseAbi(["function mint(address to, uint256 tokenId)"]);
const tokenAbi = parseAbi([
  "function approve(address spender, uint256 valueOrId)",
  "function setApprovalForAll(address operator, bool approved)",
]);

describe("token approvals granted by an account", () => {
  let chain: LocalChain;
  let owner: PrivateKeyAccount;
  let account: Address;
  let erc20: Address;
  let erc721: Address;
  let erc1155: Address;
  const spender = privateKeyToAccount(generatePrivateKey()).address;
  const other = privateKeyToAccount(generatePrivateKey()).address;
  const call = (to: Address, data: `0x${string}`): Call => ({ to, data, value: 0n });

  before(async () => {
    chain = await startLocalChain(8667);
    owner = await chain.fundedKey();
    account = await chain.createAccount(
      owner.address,
      demoConfig([privateKeyToAccount(generatePrivateKey()).address], 1),
    );
    erc20 = await chain.deployArtifact("contracts/test/TestERC20.sol", "TestERC20");
    erc721 = await chain.deployArtifact("contracts/test/TestERC721.sol", "TestERC721");
    erc1155 = await chain.deployArtifact("contracts/test/TestERC1155.sol", "TestERC1155");
    const mint = await chain.funder.writeContract({
      address: erc721,
      abi: mintAbi,
      functionName: "mint",
      args: [account, 7n],
      chain: chain.funder.chain,
    });
    await chain.client.waitForTransactionReceipt({ hash: mint });
    await executeBatch(chain.client, chain.wallet(owner), {
      account,
      calls: [
        call(erc20, encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [spender, 1000n] })),
        call(erc20, encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [other, 5n] })),
        call(erc20, encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [other, 0n] })),
        call(erc721, encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [spender, 7n] })),
        call(erc721, encodeFunctionData({ abi: tokenAbi, functionName: "setApprovalForAll", args: [other, true] })),
        call(erc1155, encodeFunctionData({ abi: tokenAbi, functionName: "setApprovalForAll", args: [spender, true] })),
      ],
    });
  });
  after(async () => chain?.stop());

  it("lists the approvals that still hold, from logs checked against the tokens", async () => {
    const approvals = await listTokenApprovals(chain.client, account);
    const summary = approvals.map((a) => `${a.kind}:${a.token}:${a.spender}`).sort();
    assert.deepEqual(
      summary,
      [
        `erc20:${erc20}:${spender}`,
        `erc721:${erc721}:${spender}`,
        `operator:${erc721}:${other}`,
        `operator:${erc1155}:${spender}`,
      ].sort(),
    );
    const allowance = approvals.find((a) => a.kind === "erc20");
    assert.equal(allowance?.kind === "erc20" && allowance.allowance, 1000n);
  });

  it("ignores approvals granted by other owners", async () => {
    const hash = await chain.funder.writeContract({
      address: erc20,
      abi: tokenAbi,
      functionName: "approve",
      args: [spender, 1n],
      chain: chain.funder.chain,
    });
    await chain.client.waitForTransactionReceipt({ hash });
    assert.equal((await listTokenApprovals(chain.client, account)).length, 4);
  });

  it("revokes every approval in one batch", async () => {
    const approvals = await listTokenApprovals(chain.client, account);
    const calls = revokeAllCalls(approvals);
    assert.equal(calls.length, 4);
    const { receipt } = await executeBatch(chain.client, chain.wallet(owner), { account, calls });
    assert.equal(receipt.status, "success");
    assert.deepEqual(await listTokenApprovals(chain.client, account), []);
  });
});
