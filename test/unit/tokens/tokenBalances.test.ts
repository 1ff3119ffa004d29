import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseAbi, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { executeBatch } from "../../../custos/actions/execute.js";
import { listTokenBalances } from "../../../custos/tokens/listTokenBalances.js";
import { tokenTransferCall } from "../../../custos/tokens/transferCall.js";
import { demoConfig, startLocalChain, type LocalChain } from "../../helpers/localChain.js";

const mintAbi = parseAbi(["function mint(address to, uint256 amountOrId)"]);

describe("token balances of an account", () => {
  let chain: LocalChain;
  let owner: PrivateKeyAccount;
  let account: Address;
  let kept: Address;
  let emptied: Address;
  let nft: Address;
  const recipient = privateKeyToAccount(generatePrivateKey()).address;

  const mint = async (token: Address, to: Address, amount: bigint) => {
    const hash = await chain.funder.writeContract({
      address: token,
      abi: mintAbi,
      functionName: "mint",
      args: [to, amount],
      chain: chain.funder.chain,
    });
    await chain.client.waitForTransactionReceipt({ hash });
  };

  before(async () => {
    chain = await startLocalChain(8860);
    owner = await chain.fundedKey();
    account = await chain.createAccount(
      owner.address,
      demoConfig([privateKeyToAccount(generatePrivateKey()).address], 1),
    );
    kept = await chain.deployArtifact("contracts/test/TestERC20.sol", "TestERC20");
    emptied = await chain.deployArtifact("contracts/test/TestERC20.sol", "TestERC20");
    nft = await chain.deployArtifact("contracts/test/TestERC721.sol", "TestERC721");
    await mint(kept, account, 1000n * 10n ** 18n);
    await mint(emptied, account, 5n);
    await mint(nft, account, 7n);
    await executeBatch(chain.client, chain.wallet(owner), {
      account,
      calls: [tokenTransferCall(kept, recipient, 250n * 10n ** 18n), tokenTransferCall(emptied, recipient, 5n)],
    });
  });
  after(() => chain?.stop());

  it("lists the ERC-20 tokens the account holds, from Transfer logs, with their balance, symbol and decimals", async () => {
    const balances = await listTokenBalances(chain.client, account, { fromBlock: 0n });
    assert.deepEqual(balances, [
      { token: kept, symbol: "TST", name: "Test Token", decimals: 18, balance: 750n * 10n ** 18n },
    ]);
  });

  it("leaves out tokens sent away entirely and ERC-721 transfers (same event, token id indexed)", async () => {
    const tokens = (await listTokenBalances(chain.client, account)).map((b) => b.token);
    assert.ok(!tokens.includes(emptied));
    assert.ok(!tokens.includes(nft));
  });

  it("lists nothing for an address that never held a token", async () => {
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    assert.deepEqual(await listTokenBalances(chain.client, stranger), []);
  });
});
