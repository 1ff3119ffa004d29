/**
 * What every device reads back from the chain alone: an account's sends (`listAccountSends`, from the
 * EntryPoint's UserOperationEvents and each operation's callData) and the guardians that approved a
 * request on-chain (`readOnChainApprovers`). Real UserOperations through alto on anvil.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createWalletClient,
  getAddress,
  http,
  parseAbi,
  parseEther,
  type Address,
  type Hash,
  type LocalAccount,
} from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  approveRecovery,
  buildApprovalRequest,
  createCustosBundlerClient,
  listAccountSends,
  readOnChainApprovers,
  runUserOperation,
  normalizeConfig,
  toCustosSmartAccount,
  tokenTransferCall,
  type CustosSmartAccount,
} from "../../custos/index.js";
import { readArtifact } from "../../custos/node.js";
import { includedByBundler } from "./helpers/bundlerRefusal.js";
import { demoConfig, startFixture, type Fixture } from "./helpers/fixture.js";

const fresh = () => privateKeyToAccount(generatePrivateKey());
const mintAbi = parseAbi(["function mint(address to, uint256 amountOrId)"]);

describe("an account's sends and on-chain approvals, read from the chain alone", { timeout: 300_000 }, () => {
  let fx: Fixture;
  const owner = fresh();
  const guardians = [fresh(), fresh(), fresh()];
  const [r1, r2, r3] = [fresh().address, fresh().address, fresh().address];
  let account: CustosSmartAccount;
  let token: Address;
  const hashes: Hash[] = [];

  const send = async (calls: { to: Address; value: bigint; data?: `0x${string}` }[]) => {
    const bundlerClient = createCustosBundlerClient({ client: fx.client, account, bundlerUrl: fx.stack.bundlerUrl });
    const receipt = await includedByBundler(runUserOperation({ bundlerClient, calls }));
    hashes.push(receipt.userOpHash);
  };
  const wallet = (key: LocalAccount) =>
    createWalletClient({ chain: fx.stack.chain, transport: http(fx.stack.rpcUrl), account: key });

  before(async () => {
    fx = await startFixture({ chainPort: 9610, bundlerPort: 9611 });
    account = await toCustosSmartAccount({
      client: fx.client,
      owner,
      factory: fx.stack.deployment.factory,
      config: demoConfig(guardians, 2),
    });
    await fx.fund(account.address, "2");
    const erc20 = readArtifact("contracts/test/TestERC20.sol", "TestERC20");
    const deployer = wallet(privateKeyToAccount(fx.stack.devAccounts[1]!.privateKey));
    const deployed = await fx.client.waitForTransactionReceipt({
      hash: await deployer.deployContract({ abi: erc20.abi, bytecode: erc20.bytecode }),
    });
    token = getAddress(deployed.contractAddress!);
    await fx.client.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: token,
        abi: mintAbi,
        functionName: "mint",
        args: [account.address, 100n * 10n ** 18n],
      }),
    });
    await send([{ to: r1, value: parseEther("0.1") }]); // deploys the account and sends
    await send([
      { to: r2, value: parseEther("0.2") },
      { ...tokenTransferCall(token, r3, 5n * 10n ** 18n), value: 0n },
    ]);
    await send([{ to: account.address, value: 1n }]); // the account paying itself is no send
  });
  after(() => fx?.stack.stop());

  it("lists every ETH and token send with its UserOperation and transaction hash, newest first, and nothing else", async () => {
    const sends = await listAccountSends(fx.client, { account: account.address, entryPoint: entryPoint08Address });
    assert.deepEqual(
      sends.map((s) => [s.userOpHash, s.to, s.asset, s.amount, s.symbol, s.decimals]),
      [
        [hashes[1], r3, token, 5n * 10n ** 18n, "TST", 18],
        [hashes[1], r2, "ETH", parseEther("0.2"), "ETH", 18],
        [hashes[0], r1, "ETH", parseEther("0.1"), "ETH", 18],
      ],
    );
    for (const s of sends) {
      const receipt = await fx.client.getTransactionReceipt({ hash: s.transactionHash });
      assert.equal(receipt.blockNumber, s.blockNumber);
      assert.equal((await fx.client.getBlock({ blockNumber: s.blockNumber })).timestamp, s.timestamp);
    }
  });

  it("reads only the blocks asked for, and nothing for an account that never sent", async () => {
    const [latest] = await listAccountSends(fx.client, { account: account.address, entryPoint: entryPoint08Address });
    const later = await listAccountSends(fx.client, {
      account: account.address,
      entryPoint: entryPoint08Address,
      fromBlock: latest!.blockNumber + 1n,
    });
    assert.deepEqual(later, []);
    const stranger = fresh().address;
    assert.deepEqual(await listAccountSends(fx.client, { account: stranger, entryPoint: entryPoint08Address }), []);
  });

  it("names exactly the guardians that approved a recovery request on-chain", async () => {
    const newOwner = fresh().address;
    const request = await buildApprovalRequest(fx.client, { account: account.address, kind: "Recovery", newOwner });
    const sorted = normalizeConfig(demoConfig(guardians, 2)).guardians;
    assert.deepEqual(await readOnChainApprovers(fx.client, request, sorted), []);
    const approver = guardians[1]!;
    await fx.fund(approver.address, "0.1");
    const result = await approveRecovery(fx.client, wallet(approver), {
      account: account.address,
      newOwner,
      deadline: request.deadline,
    });
    await fx.client.waitForTransactionReceipt({ hash: result.hash });
    assert.deepEqual(await readOnChainApprovers(fx.client, request, sorted), [approver.address]);
    // Another request (another new owner) has its own record.
    const other = await buildApprovalRequest(fx.client, {
      account: account.address,
      kind: "Recovery",
      newOwner: fresh().address,
      deadline: request.deadline,
    });
    assert.deepEqual(await readOnChainApprovers(fx.client, other, sorted), []);
    assert.deepEqual(await readOnChainApprovers(fx.client, { ...request, kind: "Rotation" }, sorted), []);
  });
});
