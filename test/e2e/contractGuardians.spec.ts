import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./helpers/consoleGuard.js";
import { readFileSync } from "node:fs";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Address } from "viem";
import { parseApprovalRequest } from "../../custos/approvals/portable.js";
import { createSafeApproval, parseSafeApproval, safeTransactionHash } from "../../custos/guardians/contractApproval.js";
import { readOnChainApprovers } from "../../custos/actions/onChainApprovers.js";
import { readCurrentConfig } from "../../custos/state/readConfig.js";
import { loadDeployment } from "../../custos/deployments.js";
import { createGuardedAccount, deploySafeGuardian, publicClient } from "./chain.js";
import {
  WALLET_PASSWORD,
  axe,
  baseUrl,
  connectGuardian,
  fund,
  guardianKey,
  revealAndQuiz,
  screens,
  walletBrowser,
} from "./helpers.js";

/**
 * D3 / S14 in the browser: contract guardians approve on-chain. Account A (its owner lost the phrase)
 * is guarded 2 of 3 by B (another Custos account, made in the browser), a Safe 1.4.1 and a key. B
 * approves from its own dashboard; the Safe's owner signs and executes the Safe transaction shown on
 * the approval page; A's recovery page counts both, and the second starts the recovery.
 */
test.describe.configure({ mode: "serial" });

let guardianAccount: Address; // B
let guarded: Address; // A
let safe: Address;
const safeOwnerKey = generatePrivateKey();
const safeOwner = privateKeyToAccount(safeOwnerKey);
let bDevice: BrowserContext;
let b: Page;
let aDevice: BrowserContext;
let a: Page;
let link = "";

test("a Custos guardian approves from its own dashboard", async ({ browser }) => {
  // B: a Custos account made in the browser, as any user makes one
  bDevice = await browser.newContext();
  b = await bDevice.newPage();
  await b.goto(`${baseUrl()}/create`);
  await revealAndQuiz(b);
  await b.getByLabel("Address").fill(privateKeyToAccount(guardianKey(0)).address);
  await b.getByRole("button", { name: "Continue", exact: true }).click();
  await b.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  await b.getByRole("button", { name: "Save wallet on this device" }).click();
  await b.getByRole("button", { name: "Continue", exact: true }).click();
  guardianAccount = (await b.getByTestId("address").first().innerText()).trim() as Address;
  await fund(guardianAccount);
  await expect(b.getByTestId("balance")).toContainText("10 ETH");
  await b.getByRole("button", { name: "Create my account" }).click();
  await b.waitForURL("**/dashboard", { timeout: 60_000 });
  await expect(b.getByRole("heading", { name: "My wallet" })).toBeVisible();
  // B guards nothing yet: no guardian card on its dashboard
  await expect(b.getByTestId("guardian-duties")).toHaveCount(0);

  // A: guarded by B, a Safe 1.4.1 and a key, 2 of 3; its owner lost the phrase
  safe = await deploySafeGuardian([safeOwner.address], 1);
  guarded = await createGuardedAccount(
    [guardianAccount, safe, privateKeyToAccount(guardianKey(1)).address],
    2,
    BigInt(Date.now()),
  );

  // A's owner, on a new device, asks the guardians
  aDevice = await browser.newContext();
  a = await aDevice.newPage();
  await a.goto(`${baseUrl()}/recover`);
  await a.getByLabel("Your account address").fill(guarded);
  await a.getByRole("button", { name: "Continue", exact: true }).click();
  await revealAndQuiz(a);
  await a.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  await a.getByRole("button", { name: "Save wallet on this device" }).click();
  await a.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(a.getByTestId("approval-count")).toContainText("0 / 2");
  await expect(a.getByTestId("guardian-link")).toHaveValue(/[?&]id=/);
  link = await a.getByTestId("guardian-link").inputValue();

  // B's dashboard lists the account it guards (found as the guardian view finds them)
  const duties = b.getByTestId("guardian-duties");
  await expect(duties.getByTestId("guards-account").filter({ hasText: new RegExp(guarded, "i") })).toBeVisible({
    timeout: 30_000,
  });
  await expect(duties).toContainText("No recovery pending");
  // a pasted text that is no link is refused in words
  await duties.getByLabel("Guardian link").fill("please approve my recovery");
  await expect(duties.getByText("This is not a guardian link")).toBeVisible();
  await axe(b, "/dashboard (guards an account)");
  await screens(b, "dashboard-guardian-duties");

  // the approval page sends B's owner to B's own dashboard with the request filled in
  await b.goto(link);
  const custos = b.getByTestId("custos-guardian");
  await expect(custos).toContainText("is a Custos account");
  await expect(custos).toContainText(new RegExp(guardianAccount, "i"));
  await custos.getByRole("link", { name: "Open in my Custos wallet" }).click();
  await b.waitForURL("**/dashboard?request=*");
  // the reload of b.goto ended the in-memory session unless another tab shares it: wait for one or the other
  // (an instant isVisible() could run while the page still asks other tabs, and miss the unlock form)
  const unlock = b.getByLabel("Wallet password");
  const request = b.getByTestId("duty-request");
  await expect(unlock.or(request).first()).toBeVisible();
  if (await unlock.isVisible()) {
    await unlock.fill(WALLET_PASSWORD);
    await b.getByRole("button", { name: "Unlock" }).click();
  }
  await expect(request).toContainText("move this account to a new owner (recovery)");
  await expect(request).toContainText(new RegExp(guarded, "i"));
  await axe(b, "/dashboard (approve as a guardian account)");
  await screens(b, "dashboard-guardian-approve");
  await request.getByRole("button", { name: "Approve with this account" }).click();
  await expect(request.getByTestId("duty-approved")).toBeVisible({ timeout: 60_000 });
  await axe(b, "/dashboard (approved as a guardian account)");

  // the account recorded B's approval, and A's collector counts it
  const parsed = parseApprovalRequest(link);
  const config = await readCurrentConfig(publicClient(), guarded, {
    fromBlock: BigInt(loadDeployment(process.env.E2E_NETWORK!).deploymentBlock),
  });
  const approvers = await readOnChainApprovers(publicClient(), parsed, config.guardians);
  expect(approvers.map((x) => x.toLowerCase())).toEqual([guardianAccount.toLowerCase()]);
  await expect(a.getByTestId("approval-count")).toContainText("1 / 2", { timeout: 30_000 });
  await expect(a.getByTestId("recovery-step")).toContainText(new RegExp(guardianAccount, "i"));
  await expect(a.getByRole("button", { name: "Start recovery" })).toBeDisabled();
  await screens(a, "recover-contract-approval-counted");
  await axe(a, "/recover (an on-chain approval counted)");
  await bDevice.close();
});

test("a Safe guardian: the approval page shows the Safe transaction; its owner signs and executes it; it counts", async ({
  browser,
}) => {
  const { context: owner, page } = await walletBrowser(browser, safeOwnerKey);
  await fund(safeOwner.address);
  await page.goto(link);
  const card = page.getByTestId("safe-guardian");
  await expect(card).toContainText("is a Safe");
  await expect(card).toContainText(new RegExp(safe, "i"));

  // the same Safe transaction the library (and the CLI's file) make
  const expected = await createSafeApproval(publicClient(), { request: parseApprovalRequest(link), safe });
  await expect(card.getByTestId("safe-tx-hash")).toHaveText(safeTransactionHash(expected.transaction));
  await expect(card.getByTestId("safe-tx-nonce")).toHaveText("0");
  await expect(card.getByTestId("safe-tx-data")).toHaveText(expected.transaction.data);
  await expect(card.getByTestId("safe-signed")).toHaveText("0 of 1 owner signatures");
  const download = page.waitForEvent("download");
  await card.getByRole("button", { name: "Download the Safe transaction" }).click();
  const file = parseSafeApproval(readFileSync((await (await download).path())!, "utf8"));
  expect(safeTransactionHash(file.transaction)).toBe(safeTransactionHash(expected.transaction));
  expect(file.owners).toEqual([safeOwner.address]);
  await card.getByText("How the Safe's owners sign it").click();
  await expect(card).toContainText("npm run custos -- safe sign --tx");
  await axe(page, "/guardian/approve (Safe guardian)");
  await screens(page, "guardian-approve-safe");

  // the connected wallet owns the Safe: it signs the SafeTx typed data, then executes
  await connectGuardian(page);
  await expect(page.getByTestId("safe-owner-connected")).toContainText(new RegExp(safe, "i"));
  await card.getByRole("button", { name: "Sign as a Safe owner" }).click();
  await expect(card.getByTestId("safe-signed")).toHaveText("1 of 1 owner signatures");
  await axe(page, "/guardian/approve (Safe transaction signed)");
  await card.getByRole("button", { name: "Execute the Safe transaction" }).click();
  await expect(card.getByTestId("safe-executed")).toBeVisible({ timeout: 60_000 });
  await screens(page, "guardian-approve-safe-executed");
  await axe(page, "/guardian/approve (Safe transaction executed)");

  // B's and the Safe's on-chain approvals meet the threshold: the recovery has started
  await expect(a.getByRole("heading", { name: "Recovery started" })).toBeVisible({ timeout: 60_000 });
  await owner.close();
  await aDevice.close();
});
