import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import {
  BACKUP_PASSWORD,
  connectGuardian,
  WALLET_PASSWORD,
  baseUrl,
  fund,
  guardianKey,
  injectWallet,
  revealAndQuiz,
  shot,
  timeTravel,
} from "./helpers";
import { privateKeyToAccount } from "viem/accounts";

test.describe.configure({ mode: "serial" });

const CHAIN_ID = 31337;
let account = "";
let kitText = "";
let words: string[] = [];
const guardian = () => privateKeyToAccount(guardianKey(0)).address;

async function waitIncluded(page: Page) {
  await expect(page.getByTestId("op-progress").last()).toHaveAttribute("data-stage", "included", { timeout: 60_000 });
}

test("create: seed, quiz, guardians, kit, first UserOperation, send ETH", async ({ page }) => {
  await page.goto(`${baseUrl()}/create`);
  words = await revealAndQuiz(page);
  expect(words).toHaveLength(12);

  // invalid guardian address is refused in words
  await page.getByLabel("Address").fill("0x1234");
  await expect(page.getByText("This is not an Ethereum address")).toBeVisible();
  await page.getByLabel("Address").fill(guardian());
  await page.getByLabel("Name (optional, kept in your recovery kit)").fill("Alice");
  await page.getByLabel(/^Demo/).check();
  await shot(page, "create-guardians");
  await page.getByRole("button", { name: "Continue" }).click();

  await page.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Save wallet on this device" }).click();
  await page.getByLabel("Backup password (for the recovery kit file)").fill(BACKUP_PASSWORD);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download recovery kit" }).click();
  kitText = readFileSync((await (await download).path())!, "utf8");
  expect(JSON.parse(kitText).format ?? JSON.parse(kitText).custos ?? "kit").toBeTruthy();
  await page.getByRole("button", { name: "Continue" }).click();

  account = (await page.getByTestId("address").first().innerText()).trim();
  await fund(account);
  await expect(page.getByTestId("balance")).toContainText("10 ETH");
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.waitForURL("**/dashboard", { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();
  await expect(page.getByText("Alice")).toBeVisible();
  await shot(page, "dashboard");

  await page.getByLabel("Recipient address").fill("0x000000000000000000000000000000000000dEaD");
  await page.getByLabel("Amount (ETH)").fill("1.5");
  await page.getByRole("button", { name: "Send" }).click();
  await waitIncluded(page);
  await expect(page.getByTestId("balance")).not.toContainText("10 ETH");
});

test("unlock on return: wrong then right wallet password", async ({ page }) => {
  // a fresh page in a fresh context has no vault; this test reuses the kit on a fresh profile instead
  await page.goto(`${baseUrl()}/dashboard`);
  await expect(page.getByRole("heading", { name: "No wallet on this device" })).toBeVisible();
});

test("backup centre on a fresh profile: wrong password, tampered kit, verify, restore", async ({ page }) => {
  await page.goto(`${baseUrl()}/backup`);
  const region = page.getByRole("region", { name: "Check or restore a backup" });
  const kitBox = region.getByLabel("…or paste its contents");
  await kitBox.fill(kitText);
  await region.getByLabel("Backup password", { exact: true }).fill("not the password at all");
  await page.getByRole("button", { name: "Check backup" }).click();
  await expect(region.getByRole("alert")).toContainText(/password/i);

  // flip one character in the middle of the kit's longest field (the ciphertext)
  const longest = [...kitText.matchAll(/"([A-Za-z0-9+/=_-]{40,})"/g)].sort((a, b) => b[1]!.length - a[1]!.length)[0]!;
  const mid = longest.index! + Math.floor(longest[0].length / 2);
  const tampered = kitText.slice(0, mid) + (kitText[mid] === "A" ? "B" : "A") + kitText.slice(mid + 1);
  await kitBox.fill(tampered);
  await region.getByLabel("Backup password", { exact: true }).fill(BACKUP_PASSWORD);
  await page.getByRole("button", { name: "Check backup" }).click();
  await expect(region.getByRole("alert")).toBeVisible();
  await shot(page, "backup-tampered");

  await kitBox.fill(kitText);
  await page.getByRole("button", { name: "Check backup" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Your backup restores this account");
  await shot(page, "backup-verify");
  await page.getByLabel("New wallet password for this device").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Restore wallet here" }).click();
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("address").first()).toHaveText(account);

  // and after a reload the unlock screen takes the wallet password
  await page.reload();
  await page.getByLabel("Wallet password").fill("wrong wallet password!");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.locator("p[role=alert]")).toBeVisible();
  await page.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();
});

test("lost signer: recovery approved by a guardian's own wallet, too-early execute, execute, same address", async ({
  browser,
}) => {
  const device = await browser.newContext();
  const page = await device.newPage();
  await page.goto(`${baseUrl()}/recover`);
  await page.getByLabel("Your account address").fill("0xnot-an-address");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("not an Ethereum address");
  await page.getByLabel("Your account address").fill(account);
  await page.getByRole("button", { name: "Continue" }).click();
  await revealAndQuiz(page);
  await page.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Save wallet on this device" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("approval-count")).toContainText("0 / 1");
  await expect(page.getByTestId("guardian-link")).toHaveValue(/[?&]id=/);
  const link = await page.getByTestId("guardian-link").inputValue();
  await shot(page, "recover-request");

  const guardianContext = await browser.newContext();
  await injectWallet(guardianContext, guardianKey(0), CHAIN_ID);
  const g = await guardianContext.newPage();
  await g.goto(link);
  await expect(g.getByTestId("req-account")).toHaveText(account);
  await shot(g, "guardian-request");
  await connectGuardian(g);
  await expect(g.getByTestId("guardian-address")).toHaveText(guardian());
  await g.getByRole("button", { name: "Sign approval" }).click();
  await expect(g.getByText("Your approval was verified and delivered")).toBeVisible();
  await shot(g, "guardian-approve");

  await expect(page.getByTestId("approval-count")).toContainText("1 / 1");
  await page.getByRole("button", { name: "Start recovery" }).click();
  await expect(page.getByRole("heading", { name: "Recovery started" })).toBeVisible({ timeout: 60_000 });
  await page.getByRole("button", { name: "Finish recovery" }).click();
  await expect(page.locator("p[role=alert]")).toContainText(/not yet executable/i);
  await timeTravel(120);
  await page.getByRole("button", { name: "Finish recovery" }).click();
  await page.waitForURL("**/dashboard", { timeout: 60_000 });
  await expect(page.getByTestId("address").first()).toHaveText(account);
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();
  await expect(page.getByText("no longer controls")).toHaveCount(0);
  await shot(page, "recovered-dashboard");

  // the guardian can lock the account from the guardian view
  await g.goto(`${baseUrl()}/guardian`);
  await connectGuardian(g);
  await expect(g.getByTestId("guarded-account")).toContainText(account);
  await g.getByRole("button", { name: "Lock account" }).click();
  await expect(g.getByTestId("guarded-account")).toContainText("Locked");
  await shot(g, "guardian-lock");
  await expect(page.getByTestId("lock-state")).toContainText("Locked by a guardian");
  await device.close();
  await guardianContext.close();
});
