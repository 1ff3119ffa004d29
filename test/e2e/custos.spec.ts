import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./helpers/consoleGuard.js";
import { readFileSync } from "node:fs";
import {
  BACKUP_PASSWORD,
  CHAIN_ID,
  axe,
  connectGuardian,
  expectNoHorizontalScroll,
  keyPress,
  keyType,
  latestBlockTime,
  mineAt,
  WALLET_PASSWORD,
  baseUrl,
  fund,
  guardianKey,
  kdfText,
  recordKdfProgress,
  revealAndQuiz,
  screens,
  shot,
  timeTravel,
  walletBrowser,
} from "./helpers.js";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Address } from "viem";
import { deriveOwnerPrivateKey } from "../../custos/backup/mnemonic.js";
import { decryptKit } from "../../custos/backup/kit.js";
import { approvalRequestLink } from "../../custos/approvals/portable.js";
import {
  allowance,
  approveSpenders,
  deployTestToken,
  entryPointNonce,
  guardiansOf,
  lockAs,
  ownerOf,
  publicClient,
  startMaliciousRecovery,
} from "./chain.js";
import { custosAccountAbi } from "../../custos/generated/abis.js";
import { mailTo } from "./helpers/mailCatcher.js";

test.describe.configure({ mode: "serial" });

let account = "";
let kitText = "";
let words: string[] = [];
/** The transaction of the first journey's ETH send: every device shows it in Activity. */
let sentHash = "";
/** The device that recovered the account: it stays open as the owner's browser for later journeys. */
let ownerDevice: BrowserContext;
let owner: Page;
const guardian = (i = 0) => privateKeyToAccount(guardianKey(i)).address;
/** The wallet password a second vault on the same device is saved under (D4: it must not replace the first). */
const RECOVERY_PASSWORD = "copper kettle moonrise 58 quarry";
const NEW_BACKUP_PASSWORD = "saffron glacier whistle 26 orchard";

/** The guardian opens the owner's request link, checks it and signs with their own wallet. */
async function guardianSigns(browser: Browser, i: number, link: string, axeName?: string) {
  const g = await walletBrowser(browser, guardianKey(i));
  await g.page.goto(link);
  await connectGuardian(g.page);
  await expect(g.page.getByTestId("guardian-address")).toHaveText(guardian(i));
  if (axeName) await axe(g.page, axeName);
  await g.page.getByRole("button", { name: "Sign approval" }).click();
  await expect(g.page.getByText("Your approval was verified and delivered")).toBeVisible();
  await g.context.close();
}

async function waitIncluded(page: Page) {
  await expect(page.getByTestId("op-progress").last()).toHaveAttribute("data-stage", "included", { timeout: 60_000 });
}

test("create: seed, quiz, guardians, kit, first UserOperation, send ETH", async ({ page }) => {
  await page.goto(`${baseUrl()}/create`);
  await axe(page, "/create (phrase)");
  words = await revealAndQuiz(page);
  await axe(page, "/create (guardians)");
  expect(words).toHaveLength(12);

  // invalid guardian address is refused in words
  await page.getByLabel("Address").fill("0x1234");
  await expect(page.getByText("This is not an Ethereum address")).toBeVisible();
  await page.getByLabel("Address").fill(guardian());
  await page.getByLabel("Name (optional, kept in your recovery kit)").fill("Alice");
  await page.getByLabel(/^Demo/).check();
  await shot(page, "create-guardians");
  await page.getByRole("button", { name: "Continue", exact: true }).click();

  await page.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  // B2/B3: the slow password step shows its progress and says why it is slow
  let kdfSeen = await recordKdfProgress(page);
  await page.getByRole("button", { name: "Save wallet on this device" }).click();
  await expect(page.getByRole("button", { name: "Saved on this device" })).toBeVisible();
  expect(await kdfSeen()).toContainEqual(expect.stringMatching(kdfText("Encrypting your words")));
  // the same password for the wallet and the kit is refused with a reason
  await page.getByLabel("Backup password (for the recovery kit file)").fill(WALLET_PASSWORD);
  await expect(page.getByText("This is your wallet password")).toBeVisible();
  await expect(page.getByRole("button", { name: "Download recovery kit" })).toBeDisabled();
  await page.getByLabel("Backup password (for the recovery kit file)").fill(BACKUP_PASSWORD);
  await expect(page.getByText("This is your wallet password")).toHaveCount(0);
  await axe(page, "/create (protect + kit)");
  await screens(page, "create-protect");
  const download = page.waitForEvent("download");
  kdfSeen = await recordKdfProgress(page);
  await page.getByRole("button", { name: "Download recovery kit" }).click();
  kitText = readFileSync((await (await download).path())!, "utf8");
  expect(await kdfSeen()).toContainEqual(expect.stringMatching(kdfText("Encrypting the kit")));
  expect(JSON.parse(kitText).format ?? JSON.parse(kitText).custos ?? "kit").toBeTruthy();
  await page.getByRole("button", { name: "Continue", exact: true }).click();

  account = (await page.getByTestId("address").first().innerText()).trim();
  await fund(account);
  await expect(page.getByTestId("balance")).toContainText("10 ETH");
  await axe(page, "/create (deploy)");
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.waitForURL("**/dashboard", { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Guardians" }).getByText("Alice")).toBeVisible();
  await screens(page, "dashboard");
  await axe(page, "/dashboard");
  await expect(page.getByTestId("kit-health")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("paper-health")).toHaveAttribute("data-status", "ok");

  // more than the balance is refused in words before anything is signed
  await page.getByLabel("Recipient address").fill("0x000000000000000000000000000000000000dEaD");
  await page.getByLabel("Amount (ETH)").fill("11");
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByRole("form", { name: "Send" }).getByRole("alert")).toHaveText(
    /^The account holds less than you are sending/,
  );
  await page.getByLabel("Amount (ETH)").fill("1.5");
  await page.getByRole("button", { name: "Review" }).click();
  const review = page.getByTestId("send-review");
  await expect(review.getByTestId("review-amount")).toHaveText("1.5 ETH");
  await expect(review.getByTestId("review-fee")).toContainText(/up to \d/);
  await axe(page, "/dashboard (send review)");
  await screens(page, "dashboard-send-review");
  await page.getByRole("button", { name: "Confirm and send" }).click();
  await waitIncluded(page);
  await expect(page.getByTestId("send-done")).toContainText(/Sent 1\.5 ETH\. Transaction 0x[0-9a-f]{64}/);
  sentHash = (await page.getByTestId("send-done").innerText()).match(/0x[0-9a-f]{64}/)![0];
  await expect(page.getByLabel("Recipient address")).toHaveValue("");
  await expect(page.getByLabel("Amount (ETH)")).toHaveValue("");
  await expect(page.getByTestId("balance")).not.toContainText("10 ETH");
  const sendRow = page.getByTestId("activity").locator("li[data-kind=send]");
  await expect(sendRow).toContainText("Sent 1.5 ETH to 0x0000…dEaD");
  await expect(sendRow.locator(".hash")).toHaveAttribute("title", sentHash);
  await expect(page.getByTestId("activity").locator("li[data-kind=created]")).toContainText(
    "Account created with 1 guardian (Alice)",
  );
  await axe(page, "/dashboard (after send)");
});

test("fresh profile: no wallet on this device (home and dashboard)", async ({ page }) => {
  // a fresh page in a fresh context has no vault; this test reuses the kit on a fresh profile instead
  await page.goto(`${baseUrl()}/dashboard`);
  await expect(page.getByRole("heading", { name: "No wallet on this device" })).toBeVisible();
  await axe(page, "/dashboard (no wallet)");
  await page.goto(`${baseUrl()}/`);
  await axe(page, "/ (home)");
});

test("backup centre on a fresh profile: wrong password, tampered kit, verify, restore", async ({ page }) => {
  await page.goto(`${baseUrl()}/backup`);
  await axe(page, "/backup");
  await screens(page, "backup");
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
  await screens(page, "backup-tampered");
  await axe(page, "/backup (tampered kit)");

  await kitBox.fill(kitText);
  let kdfSeen = await recordKdfProgress(page);
  await page.getByRole("button", { name: "Check backup" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Your backup restores this account");
  expect(await kdfSeen()).toContainEqual(expect.stringMatching(kdfText("Opening the kit")));
  await axe(page, "/backup (verified)");
  await screens(page, "backup-verify");

  // B6: a kit's backup password is changed; the progress shows, the old file stays valid and the page says so
  const change = page.getByRole("form", { name: "Change a kit's backup password" });
  await change.getByLabel("…or paste its contents").fill(kitText);
  await change.getByLabel("Current backup password").fill(BACKUP_PASSWORD);
  await change.getByLabel("New backup password").fill(NEW_BACKUP_PASSWORD);
  const rekeyed = page.waitForEvent("download");
  kdfSeen = await recordKdfProgress(page);
  await change.getByRole("button", { name: "Re-encrypt and download" }).click();
  const rekeyedKit = readFileSync((await (await rekeyed).path())!, "utf8");
  await expect(change.getByRole("status")).toContainText("The old recovery kit still opens with the old password");
  expect(await kdfSeen()).toContainEqual(expect.stringMatching(kdfText("Re-encrypting the kit")));
  expect((await decryptKit(rekeyedKit, NEW_BACKUP_PASSWORD)).context.account.toLowerCase()).toBe(account.toLowerCase());
  await page.getByLabel("New wallet password for this device").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Restore wallet here" }).click();
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("address").first()).toHaveText(account);
  // another device: the send made on the first one is in Activity, read from the chain, with its hash
  const sendRow = page.getByTestId("activity").locator("li[data-kind=send]");
  await expect(sendRow).toHaveCount(1);
  await expect(sendRow).toContainText("Sent 1.5 ETH to 0x0000…dEaD");
  await expect(sendRow.locator(".hash")).toHaveAttribute("title", sentHash);
  await screens(page, "dashboard-restored-activity");
  await axe(page, "/dashboard (restored on another device)");

  // and after a reload the unlock screen takes the wallet password
  await page.reload();
  await page.getByLabel("Wallet password").fill("wrong wallet password!");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.locator("p[role=alert]")).toBeVisible();
  await axe(page, "/dashboard (unlock, wrong password)");
  await page.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();

  // the unlock lasts the browser session across tabs: a second tab opens the backup centre unlocked
  const second = await page.context().newPage();
  await second.goto(`${baseUrl()}/backup`);
  await expect(
    second
      .getByRole("region", { name: "Export a recovery kit" })
      .getByLabel("Backup password (for the recovery kit file)"),
  ).toBeVisible();
  await screens(second, "backup-unlocked");
  await axe(second, "/backup (unlocked in another tab)");
  // locking in one tab locks them all
  await page.getByRole("button", { name: "Lock this device" }).click();
  await expect(second.getByRole("button", { name: "Unlock" })).toBeVisible();
  await page.close();
  // the backup centre has its own unlock form
  await second.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await second.getByRole("button", { name: "Unlock" }).click();
  await expect(
    second
      .getByRole("region", { name: "Export a recovery kit" })
      .getByLabel("Backup password (for the recovery kit file)"),
  ).toBeVisible();
  await axe(second, "/backup (unlock form used)");

  // D4: starting a recovery on a device that holds a saved wallet never overwrites it. The new phrase is saved
  // (under a password of its own here), and the saved wallet still opens with its password, same account.
  await second.goto(`${baseUrl()}/recover`);
  await second.getByLabel("Your account address").fill(account);
  await second.getByRole("button", { name: "Continue", exact: true }).click();
  await revealAndQuiz(second);
  await second.getByLabel("Wallet password (unlocks the wallet on this device)").fill(RECOVERY_PASSWORD);
  await second.getByRole("button", { name: "Save wallet on this device" }).click();
  await expect(second.getByRole("button", { name: "Saved on this device" })).toBeVisible();
  await second.goto(`${baseUrl()}/dashboard`);
  await expect(second.getByRole("heading", { name: "A recovery is in progress on this device" })).toBeVisible();
  await expect(second.getByTestId("unlock-account")).toHaveText(account);
  await second.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await second.getByRole("button", { name: "Unlock" }).click();
  await expect(second.getByRole("heading", { name: "My wallet" })).toBeVisible();
  await expect(second.getByTestId("address").first()).toHaveText(account);
  await expect(second.getByTestId("balance")).toContainText("ETH");
  await expect(second.getByText("no longer controls")).toHaveCount(0);
  // and the recovery's own phrase is kept beside it: /recover continues it with its own password
  await second.getByRole("button", { name: "Lock this device" }).click();
  await second.goto(`${baseUrl()}/recover`);
  await expect(second.getByRole("heading", { name: "Continue your recovery" })).toBeVisible();
  await expect(second.getByTestId("unlock-account")).toHaveText(account);
});

test("lost signer: resumes a pending recovery after the tab is closed, Finish exactly when due, same address", async ({
  browser,
}) => {
  ownerDevice = await browser.newContext();
  let page = await ownerDevice.newPage();
  await page.goto(`${baseUrl()}/recover`);
  await axe(page, "/recover");
  await page.getByLabel("Your account address").fill("0xnot-an-address");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page.locator("p[role=alert]")).toContainText("not an Ethereum address");
  await page.getByLabel("Your account address").fill(account);
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  words = await revealAndQuiz(page);
  await page.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Save wallet on this device" }).click();
  // the new phrase's recovery kit, which another device can resume the recovery from
  await page.getByLabel("Backup password (for the recovery kit file)").fill(BACKUP_PASSWORD);
  const newKitDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download recovery kit" }).click();
  const newKitText = readFileSync((await (await newKitDownload).path())!, "utf8");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page.getByTestId("approval-count")).toContainText("0 / 1");
  await expect(page.getByTestId("guardian-link")).toHaveValue(/[?&]id=/);
  const link = await page.getByTestId("guardian-link").inputValue();
  // the link has a Copy button that puts it on the clipboard and says so; Share only where the browser offers it
  await ownerDevice.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl() });
  const copy = page.getByRole("button", { name: "Copy the guardian link" });
  await expect(copy).toBeVisible();
  await expect(copy).toHaveText("Copy");
  await copy.click();
  await expect(copy).toHaveText("Copied");
  await expect(page.getByRole("status").filter({ hasText: "The guardian link was copied." })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  const canShare = await page.evaluate(() => typeof navigator.share === "function");
  await expect(page.getByRole("button", { name: "Share the guardian link" })).toHaveCount(canShare ? 1 : 0);
  await expect(copy).toHaveText("Copy");
  await screens(page, "recover-request");
  await axe(page, "/recover (asking guardians)");

  // the tab is closed before any approval: reopening comes back to the same request
  await page.close();
  page = await ownerDevice.newPage();
  await page.goto(`${baseUrl()}/recover`);
  await expect(page.getByRole("heading", { name: "Continue your recovery" })).toBeVisible();
  await axe(page, "/recover (continue: unlock)");
  await screens(page, "recover-continue");
  await page.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByTestId("recovery-step")).toHaveAttribute("data-step", "collect");
  await expect(page.getByTestId("guardian-link")).toHaveValue(link);

  const { context: guardianContext, page: g } = await walletBrowser(browser, guardianKey(0));
  await g.goto(link);
  // (a hydration error here, as on any page, fails the journey: see helpers/consoleGuard.ts)
  await expect(g.getByTestId("req-account")).toHaveText(account);
  await screens(g, "guardian-approve-request");
  await shot(g, "guardian-request");
  await axe(g, "/guardian/approve (recovery)");
  await connectGuardian(g);
  await expect(g.getByTestId("guardian-address")).toHaveText(guardian());
  await g.getByRole("button", { name: "Sign approval" }).click();
  await expect(g.getByText("Your approval was verified and delivered")).toBeVisible();
  await screens(g, "guardian-approve");
  await axe(g, "/guardian/approve (recovery signed)");

  await expect(page.getByTestId("approval-count")).toContainText("1 / 1");
  await page.getByRole("button", { name: "Start recovery" }).click();
  await expect(page.getByRole("heading", { name: "Recovery started" })).toBeVisible({ timeout: 60_000 });
  // Finish is enabled exactly when the chain allows it; until then the countdown never says "now"
  await expect(page.getByRole("button", { name: "Finish recovery" })).toBeDisabled();
  await expect(page.getByTestId("countdown")).toHaveText(/^in /);
  await axe(page, "/recover (started, waiting)");
  await screens(page, "recover-waiting");

  // closed during the delay: the dashboard does not claim the phrase lost control, it leads to Finish
  await page.close();
  page = await ownerDevice.newPage();
  await page.goto(`${baseUrl()}/dashboard`);
  await expect(page.getByRole("heading", { name: "A recovery is in progress on this device" })).toBeVisible();
  await expect(page.getByText("no longer controls")).toHaveCount(0);
  await axe(page, "/dashboard (recovery in progress on this device)");
  await page.getByRole("link", { name: "Continue the recovery" }).click();
  await page.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("heading", { name: "Recovery started" })).toBeVisible();

  // another device resumes it from the new phrase's words
  const other = await browser.newContext();
  const o = await other.newPage();
  await o.goto(`${baseUrl()}/recover`);
  const resume = o.getByRole("form", { name: "Continue a recovery started on another device" });
  await resume.getByLabel("Account address").fill(account);
  await resume.getByLabel("The new phrase (12 or 24 words)").fill(words.join(" "));
  await resume.getByRole("button", { name: "Continue this recovery here" }).click();
  await o.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  await o.getByRole("button", { name: "Save wallet on this device" }).click();
  await o.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(o.getByRole("heading", { name: "Recovery started" })).toBeVisible();
  await expect(o.getByRole("button", { name: "Finish recovery" })).toBeDisabled();
  await other.close();

  // …and a third one from the new phrase's recovery kit (B3: opening it shows the slow step's progress);
  // it stays open to see Finish offered there too once the delay is over
  const kitDevice = await browser.newContext();
  const k = await kitDevice.newPage();
  await k.goto(`${baseUrl()}/recover`);
  const resumeKit = k.getByRole("form", { name: "Continue a recovery started on another device" });
  await resumeKit.getByLabel("the new phrase's recovery kit").check();
  await resumeKit.getByLabel("…or paste its contents").fill(newKitText);
  await resumeKit.getByLabel("Backup password of that kit").fill(BACKUP_PASSWORD);
  const kdfSeen = await recordKdfProgress(k);
  await resumeKit.getByRole("button", { name: "Continue this recovery here" }).click();
  await k.getByLabel("Wallet password (unlocks the wallet on this device)").fill(WALLET_PASSWORD);
  expect(await kdfSeen()).toContainEqual(expect.stringMatching(kdfText("Opening the kit")));
  await k.getByRole("button", { name: "Save wallet on this device" }).click();
  await k.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(k.getByRole("heading", { name: "Recovery started" })).toBeVisible();
  await expect(k.getByRole("button", { name: "Finish recovery" })).toBeDisabled();

  // mined exactly at executeAfter: Finish is enabled and works at once
  const executeAfter = Number(
    (
      await publicClient().readContract({
        address: account as Address,
        abi: custosAccountAbi,
        functionName: "pendingRecovery",
      })
    )[1],
  );
  await mineAt(executeAfter);
  await expect(k.getByTestId("countdown")).toHaveText("now");
  await expect(k.getByRole("button", { name: "Finish recovery" })).toBeEnabled();
  await kitDevice.close();
  await expect(page.getByTestId("countdown")).toHaveText("now");
  await expect(page.getByRole("button", { name: "Finish recovery" })).toBeEnabled();
  await page.getByRole("button", { name: "Finish recovery" }).click();
  await page.waitForURL("**/dashboard", { timeout: 60_000 });
  await expect(page.getByTestId("address").first()).toHaveText(account);
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();
  await expect(page.getByText("no longer controls")).toHaveCount(0);
  owner = page;
  await screens(page, "recovered-dashboard");
  await axe(page, "/dashboard (recovered)");

  // B4: the kit of the phrase the recovery replaced is checked in the backup centre: it does NOT match, said once
  const check = await ownerDevice.newPage();
  await check.goto(`${baseUrl()}/backup`);
  const verify = check.getByRole("region", { name: "Check or restore a backup" });
  await verify.getByLabel("…or paste its contents").fill(kitText);
  await verify.getByLabel("Backup password", { exact: true }).fill(BACKUP_PASSWORD);
  await verify.getByRole("button", { name: "Check backup" }).click();
  await expect(check.getByTestId("verify-result")).toContainText(
    `This backup does NOT match: account ${account} on chain ${CHAIN_ID} is owned by`,
  );
  const verdicts = (await check.locator("main").innerText()).match(/does not (match|restore)/gi) ?? [];
  expect(verdicts, "the verdict is said once").toHaveLength(1);
  await expect(verify.getByRole("button", { name: "Restore wallet here" })).toHaveCount(0);
  await axe(check, "/backup (old kit does not match)");
  await check.close();

  // the guardian can lock the account from the guardian view
  await g.goto(`${baseUrl()}/guardian`);
  await connectGuardian(g);
  const guarded = g.getByTestId("guarded-account").filter({ hasText: account });
  await expect(guarded).toBeVisible();
  // the guardian names the account on their device; locking asks which account, by name, first
  await guarded.getByText("Name this account (kept on this device)").click();
  await guarded.getByLabel("Name", { exact: true }).fill("Dana's wallet");
  await guarded.getByRole("button", { name: "Save on this device" }).click();
  await expect(guarded.getByRole("heading", { name: "Dana's wallet" })).toBeVisible();
  await axe(g, "/guardian");
  await screens(g, "guardian");
  await guarded.getByRole("button", { name: "Lock account…" }).click();
  await expect(guarded.getByRole("group", { name: "Confirm locking Dana's wallet" })).toContainText(account);
  await axe(g, "/guardian (confirm lock)");
  await guarded.getByRole("button", { name: "Yes, lock Dana's wallet" }).click();
  await expect(guarded).toContainText("Locked");
  await screens(g, "guardian-lock");
  await axe(g, "/guardian (locked)");
  await expect(page.getByTestId("lock-state")).toContainText("Locked by a guardian");
  // the owner sees a lock banner, and Send is disabled with the reason
  await expect(page.getByTestId("lock-banner")).toBeVisible();
  // it names the guardian who locked (no name on this device yet: the short address) and offers to remove them
  const lockerShort = `${guardian(0).slice(0, 6)}…${guardian(0).slice(-4)}`;
  await expect(page.getByTestId("lock-summary")).toContainText(`Locked by ${lockerShort}.`);
  await expect(
    page.getByTestId("lock-banner").getByRole("button", { name: `Remove ${lockerShort} from your guardians` }),
  ).toBeEnabled();
  await expect(page.getByTestId("send-blocked")).toContainText("a guardian locked this account");
  await expect(page.getByRole("button", { name: "Review" })).toBeDisabled();
  await axe(page, "/dashboard (locked)");
  await screens(page, "dashboard-locked");

  // and unlocks it again
  await guarded.getByRole("button", { name: "Unlock" }).click();
  await expect(guarded).toContainText("Not locked");
  await expect(page.getByTestId("lock-banner")).toHaveCount(0);
  await expect(page.getByTestId("lock-state")).toContainText("Not locked");
  await guardianContext.close();
});

/** Makes a kit from the dashboard's backup health card and returns the decrypted kit's guardians. */
async function kitFromHealthCard(page: Page, button: string): Promise<string[]> {
  const health = page.getByTestId("backup-health");
  await health.getByRole("button", { name: button }).click();
  await health.getByLabel("Backup password (for the recovery kit file)").fill(BACKUP_PASSWORD);
  const download = page.waitForEvent("download");
  await health.getByRole("button", { name: /^Download/ }).click();
  const text = readFileSync((await (await download).path())!, "utf8");
  const kit = await decryptKit(text, BACKUP_PASSWORD);
  return kit.context.guardians.map((g) => g.address.toLowerCase());
}

test("address book + add a guardian: the kit is marked out of date after a guardian change; confirm inside the window; cancel another request", async () => {
  const page = owner;
  // in-app navigation keeps the unlocked session (it lives in memory only)
  await page.getByRole("link", { name: "Wallet", exact: true }).click();
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();
  // the recovered device knows no names yet: name the first guardian and note how to reach her
  const first = page.getByRole("region", { name: "Guardians" }).getByRole("listitem").first();
  await first.getByText("Name and contact note").click();
  await first.getByLabel("Name", { exact: true }).fill("Alice");
  await first.getByLabel("How to reach them").fill("Signal +44 7700 900123");
  await first.getByRole("button", { name: "Save on this device" }).click();
  await expect(first.getByTestId("guardian-label")).toContainText("Alice");
  await expect(first.getByTestId("guardian-label")).toContainText("Signal +44 7700 900123");

  // the new phrase's kit saved during the recovery counts on this device; a kit made now matches the account too
  await expect(page.getByTestId("kit-health")).toHaveAttribute("data-status", "ok");
  expect(await kitFromHealthCard(page, "Make a fresh kit")).toEqual([guardian(0).toLowerCase()]);
  await expect(page.getByTestId("kit-health")).toHaveAttribute("data-status", "ok");

  const form = page.getByRole("form", { name: "Add a guardian" });
  await form.getByLabel("Guardian address").fill("0x12");
  await form.getByRole("button", { name: "Request adding this guardian" }).click();
  await expect(form.getByRole("alert")).toContainText("not an Ethereum address");
  await form.getByLabel("Guardian address").fill(guardian(1));
  await form.getByLabel("Guardian name").fill("Bob");
  await form.getByLabel("How to reach them (kept on this device)").fill("bob@example.org");
  await form.getByRole("button", { name: "Request adding this guardian" }).click();
  await expect(form.getByTestId("op-progress")).toHaveAttribute("data-stage", "included", { timeout: 60_000 });
  const requestedAt = await latestBlockTime();

  const pending = page.getByTestId("pending-change");
  await expect(pending).toHaveAttribute("data-status", "waiting");
  await expect(pending).toContainText("Bob");
  const countdown = pending.getByTestId("countdown").first();
  await expect(countdown).toHaveText(/^in \d+ s$/);
  const before = await countdown.innerText();
  await expect(countdown).not.toHaveText(before); // it counts down live
  await expect(pending.getByRole("button", { name: "Confirm change" })).toBeDisabled();
  await screens(page, "pending-change");
  await axe(page, "/dashboard (pending change)");

  // mine a block just past the 20 s security period: the 20 s confirmation window is open
  await mineAt(requestedAt + 21);
  await expect(pending).toHaveAttribute("data-status", "confirmable");
  await pending.getByRole("button", { name: "Confirm change" }).click();
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 60_000 });
  const guardians = page.getByRole("region", { name: "Guardians" });
  await expect(guardians.getByTestId("guardian-label")).toHaveCount(2);
  await expect(guardians).toContainText("Bob");
  await expect(guardians).toContainText("bob@example.org");

  // the kit written before the change is out of date; a fresh kit lists the guardians of now
  await expect(page.getByTestId("kit-health")).toHaveAttribute("data-status", "stale");
  await expect(page.getByTestId("kit-health")).toContainText("the guardians changed");
  await axe(page, "/dashboard (kit out of date)");
  await screens(page, "dashboard-kit-stale");
  expect((await kitFromHealthCard(page, "Make a fresh kit")).sort()).toEqual(
    [guardian(0), guardian(1)].map((a) => a.toLowerCase()).sort(),
  );
  await expect(page.getByTestId("kit-health")).toHaveAttribute("data-status", "ok");

  // a change the owner no longer wants is cancelled before it takes effect
  await form.getByLabel("Guardian address").fill(guardian(2));
  await form.getByLabel("Guardian name").fill("Carol");
  await form.getByRole("button", { name: "Request adding this guardian" }).click();
  await expect(page.getByTestId("pending-change")).toContainText("Carol", { timeout: 60_000 });
  await page.getByTestId("pending-change").getByRole("button", { name: "Cancel change" }).click();
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 60_000 });
  await expect(guardians.getByTestId("guardian-label")).toHaveCount(2);
  await expect(guardians).not.toContainText("Carol");
});

test("owner + guardian cancel a malicious recovery started by a guardian quorum", async ({ browser }) => {
  const page = owner;
  // Bob alone meets the threshold (1 of 2) and starts a recovery to a key he holds
  const attacker = await startMaliciousRecovery(account as Address, 1);
  const banner = page.getByTestId("recovery-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(attacker);
  await expect(banner.getByTestId("approval-count")).toContainText("1 / 2");
  // while a recovery is pending, Send is paused with the reason
  await expect(page.getByTestId("send-blocked")).toBeVisible();
  await expect(page.getByTestId("send-blocked")).toHaveText(
    "Sending is paused while a recovery of this account is pending: cancel it or let it finish first.",
  );
  const review = page.getByRole("form", { name: "Send" }).getByRole("button", { name: "Review", exact: true });
  await expect(review).toBeDisabled();
  await screens(page, "malicious-recovery");
  await axe(page, "/dashboard (recovery pending)");

  const link = await banner.getByTestId("guardian-link").inputValue();
  await guardianSigns(browser, 0, link, "/guardian/approve (cancel)");
  await expect(banner.getByTestId("approval-count")).toContainText("2 / 2");
  await expect(banner).toContainText("Alice");
  await banner.getByRole("button", { name: "Cancel this recovery" }).click();
  await expect(page.getByTestId("recovery-banner")).toHaveCount(0, { timeout: 60_000 });
  expect(await ownerOf(account as Address)).not.toBe(attacker);
  // after the cancel, Send is available again
  await expect(page.getByTestId("send-blocked")).toHaveCount(0);
  await expect(review).toBeEnabled();
});

test("phrase may be exposed: new phrase, guardian approval, rotation by the current owner, revoke all approvals", async ({
  browser,
}) => {
  const page = owner;
  const token = await deployTestToken(account as Address, 10n ** 21n);
  const spenders = [0, 1].map(() => privateKeyToAccount(generatePrivateKey()).address);
  await approveSpenders(words, account as Address, token, spenders);
  const oldOwner = await ownerOf(account as Address);

  await page.getByRole("link", { name: "Wallet", exact: true }).click();
  await page.getByRole("link", { name: "My recovery phrase may be exposed" }).click();
  await page.waitForURL("**/rotate");
  await axe(page, "/rotate");
  await screens(page, "rotate");
  await page.getByRole("button", { name: "Make a new phrase" }).click();
  const newWords = await revealAndQuiz(page);
  await page.getByLabel("Wallet password for the new phrase").fill(WALLET_PASSWORD);
  await page.getByLabel("Backup password (for the recovery kit file)").fill(BACKUP_PASSWORD);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download recovery kit" }).click();
  expect(readFileSync((await (await download).path())!, "utf8")).toContain("custos");
  await axe(page, "/rotate (protect)");
  await page.getByRole("button", { name: "Continue", exact: true }).click();

  await expect(page.getByTestId("approval-count")).toContainText("0 / 1");
  await axe(page, "/rotate (asking guardians)");
  await guardianSigns(browser, 1, await page.getByTestId("guardian-link").inputValue(), "/guardian/approve (rotation)");
  await expect(page.getByTestId("approval-count")).toContainText("1 / 1");
  await expect(page.getByText("Bob", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Replace my phrase now" }).click();
  await expect(page.getByRole("heading", { name: "The old phrase no longer controls this account" })).toBeVisible({
    timeout: 60_000,
  });
  const newOwner = await ownerOf(account as Address);
  expect(newOwner).not.toBe(oldOwner);
  expect(newOwner).toBe(privateKeyToAccount(deriveOwnerPrivateKey(newWords.join(" "))).address);

  // the old kit and words are called useless; the new phrase's kit was saved before the rotation
  await expect(page.getByTestId("old-backups-useless")).toContainText(
    "old recovery kit and the old paper words are now useless",
  );
  await expect(page.getByTestId("old-backups-useless")).toContainText("You already saved a kit of the new phrase");
  const list = page.getByTestId("token-approvals");
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await screens(page, "rotation-done");
  await axe(page, "/rotate (done, approvals)");
  const nonce = await entryPointNonce(account as Address);
  await page.getByRole("button", { name: "Revoke all (2)" }).click();
  await expect(page.getByTestId("no-approvals")).toBeVisible({ timeout: 60_000 });
  for (const spender of spenders) expect(await allowance(token, account as Address, spender)).toBe(0n);
  expect(await entryPointNonce(account as Address)).toBe(nonce + 1n); // one batched UserOperation

  // the device now opens with the new phrase
  await page.goto(`${baseUrl()}/dashboard`);
  await page.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("heading", { name: "My wallet" })).toBeVisible();
  await expect(page.getByTestId("balance")).toContainText("ETH");
  await expect(page.getByText("no longer controls")).toHaveCount(0);
});

test("sends a token with a review step", async () => {
  const page = owner;
  const tokens = page.getByTestId("tokens");
  await expect(tokens).toContainText("1000 TST");
  const form = page.getByRole("form", { name: "Send" });
  await form.getByLabel("Asset").selectOption({ label: "TST — 1000 available" });
  await form.getByLabel("Recipient address").fill(guardian(2));
  await form.getByLabel("Amount (TST)").fill("1000.5");
  await form.getByRole("button", { name: "Review" }).click();
  await expect(form.getByRole("alert")).toHaveText(/^The account holds less than you are sending: 1000 TST available/);
  await expect(form.getByRole("alert")).not.toContainText("0x");
  await form.getByLabel("Amount (TST)").fill("250");
  await form.getByRole("button", { name: "Review" }).click();
  const review = page.getByTestId("send-review");
  await expect(review.getByTestId("review-amount")).toHaveText("250 TST");
  await expect(review.getByTestId("review-fee")).toContainText(/up to \d[\d.]* ETH, paid by the account/);
  await axe(page, "/dashboard (token send review)");
  await screens(page, "dashboard-token-review");
  await review.getByRole("button", { name: "Confirm and send" }).click();
  await expect(page.getByTestId("send-done")).toContainText(/Sent 250 TST\. Transaction 0x[0-9a-f]{64}/, {
    timeout: 60_000,
  });
  await expect(tokens).toContainText("750 TST");
  await expect(page.getByTestId("activity").locator("li[data-kind=send]").first()).toContainText("Sent 250 TST");
  // one row per recovery, with names, no raw owner addresses
  const recoveryRows = page.getByTestId("activity").locator("li[data-kind=recovery]");
  await expect(recoveryRows.filter({ hasText: "finished" })).toHaveCount(1);
  // the account had two recoveries (the lost-signer one, finished; the malicious one, cancelled): two rows
  await expect(recoveryRows).toHaveCount(2);
  await expect(recoveryRows.filter({ hasText: "cancelled" })).toHaveCount(1);
  // every row of the finished recovery (approval, start, execution) is that one row
  const recovered = privateKeyToAccount(deriveOwnerPrivateKey(words.join(" "))).address;
  const recoveredShort = new RegExp(`${recovered.slice(0, 6)}…${recovered.slice(-4)}`, "i");
  await expect(recoveryRows.filter({ hasText: recoveredShort })).toHaveCount(1);
  await expect(recoveryRows.filter({ hasText: recoveredShort })).toContainText("finished");
  await expect(page.getByTestId("activity")).not.toContainText("0x0000000000000000000000000000000000000000");
  await expect(page.getByTestId("activity")).not.toContainText("0x0000…0000");
  await screens(page, "dashboard-activity");
});

/** A formatDuration text ("4 min 58 s", "2 d"). */
const DURATION = "\\d+ (?:d|h|min|s)(?: \\d+ (?:h|min|s))*";

test("a lock the owner did not expect: while locked, other changes are refused, the locking guardian is removed from the banner, and the phrase page stays open", async () => {
  const page = owner;
  // Bob, gone rogue, locks the account from his own key
  await lockAs(account as Address, 1);
  const banner = page.getByTestId("lock-banner");
  await expect(banner.getByTestId("lock-summary")).toHaveText(
    new RegExp(`^Locked by Bob\\. Sending is paused until the lock ends in ${DURATION} or a guardian unlocks it\\.$`),
  );
  await expect(page.getByTestId("send-blocked")).toContainText("a guardian locked this account");

  // any other change is refused while locked, with the library's sentence (no hex)
  const form = page.getByRole("form", { name: "Add a guardian" });
  await form.getByLabel("Guardian address").fill(guardian(2));
  await form.getByRole("button", { name: "Request adding this guardian" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    new RegExp(
      `^The account is locked by a guardian for another ${DURATION}: until then the only change allowed is removing the guardians who locked it$`,
    ),
  );
  await expect(page.getByTestId("pending-change")).toHaveCount(0);

  // the phrase can be replaced while locked (it also ends the lock): the page opens at its first step
  await expect(banner.getByText("Replacing it also ends the lock.")).toBeVisible();
  await banner.getByRole("link", { name: "Replace my recovery phrase" }).click();
  await page.waitForURL("**/rotate");
  await expect(page.getByRole("button", { name: "Make a new phrase" })).toBeEnabled();
  await page.getByRole("link", { name: "Wallet", exact: true }).click();
  await expect(banner).toBeVisible();
  await axe(page, "/dashboard (locked by a guardian)");
  await screens(page, "dashboard-locked-remove");

  // the owner asks to remove Bob, the guardian who holds the lock
  await banner.getByRole("button", { name: "Remove Bob from your guardians" }).click();
  await expect(banner.getByTestId("op-progress")).toHaveAttribute("data-stage", "included", { timeout: 60_000 });
  const requestedAt = await latestBlockTime();
  await expect(banner.getByTestId("lock-removal-pending")).toHaveText(
    "Removing Bob is pending below: confirm it when its security period ends.",
  );
  await expect(banner.getByRole("button", { name: "Remove Bob from your guardians" })).toHaveCount(0);
  const pending = page.getByTestId("pending-change");
  await expect(pending).toHaveAttribute("data-status", "waiting");
  await expect(pending.getByRole("listitem").nth(0)).toHaveText(`Remove guardian Bob ${guardian(1)} — bob@example.org`);
  await expect(pending.getByRole("listitem").nth(1)).toHaveText("1 guardian, a recovery needs 1");
  await expect(pending.getByTestId("countdown").first()).toHaveText(/^in \d+ s$/);
  await expect(pending.getByRole("button", { name: "Confirm change" })).toBeDisabled();

  // past the 20 s security period, still locked: the removal is confirmed
  await mineAt(requestedAt + 21);
  await expect(pending).toHaveAttribute("data-status", "confirmable");
  await expect(page.getByTestId("lock-state")).toContainText("Locked by a guardian");
  await expect(pending.getByRole("button", { name: "Confirm change" })).toBeEnabled();
  await pending.getByRole("button", { name: "Confirm change" }).click();
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 60_000 });
  const guardians = page.getByRole("region", { name: "Guardians" });
  await expect(guardians.getByTestId("guardian-label")).toHaveCount(1);
  await expect(guardians.getByTestId("guardian-label")).toContainText("Alice");
  await expect(guardians).not.toContainText("Bob");
  expect(await guardiansOf(account as Address)).toEqual([guardian(0)]);
  // Bob is no guardian any more: the banner offers no removal, only the phrase replacement
  await expect(banner.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  await expect(banner.getByTestId("lock-locker-removed")).toHaveText(
    "Bob is no longer one of your guardians and cannot lock it again.",
  );
  await expect(banner.getByRole("link", { name: "Replace my recovery phrase" })).toBeVisible();
});

test("pages without a wallet: the guardian view explains, a far deadline is refused, alerts offer what the server sends, a styled 404", async ({
  page,
}) => {
  await page.goto(`${baseUrl()}/guardian`);
  await expect(page.getByTestId("no-wallet")).toContainText("No browser wallet found");
  await expect(page.getByRole("button", { name: /^Connect/ })).toHaveCount(0);
  await axe(page, "/guardian (no wallet)");
  await screens(page, "guardian-no-wallet");

  const request = {
    kind: "Recovery" as const,
    chainId: CHAIN_ID,
    account: account as Address,
    newOwner: guardian(3),
    nonce: 0n,
    epoch: 0n,
    deadline: BigInt(await latestBlockTime()) + 40n * 86_400n,
  };
  await page.goto(approvalRequestLink(`${baseUrl()}/guardian/approve`, request));
  await expect(page.locator("p[role=alert]")).toContainText("more than 30 days");
  await expect(page.getByText("Invalid Date")).toHaveCount(0);
  await axe(page, "/guardian/approve (deadline too far)");
  await screens(page, "guardian-approve-refused");

  await page.goto(`${baseUrl()}/alerts?account=${account}`);
  // the e2e server has a mail relay (maildev): e-mail is offered, and chosen first
  await expect(page.getByLabel("E-mail", { exact: true })).toBeChecked();
  await expect(page.getByLabel("Webhook (signed HTTP POST)")).not.toBeChecked();
  await expect(page.getByLabel("Account address")).toHaveValue(account);
  const radio = await page.getByLabel("Owner").boundingBox();
  const label = await page.getByText("Owner", { exact: true }).boundingBox();
  expect(Math.abs(radio!.y + radio!.height / 2 - (label!.y + label!.height / 2))).toBeLessThan(8); // side by side
  await axe(page, "/alerts");
  await screens(page, "alerts");

  // D7 e-mail alerts: the confirmation link arrives by mail, and opening it (one deliberate click) confirms
  const mailbox = `owner-${Date.now()}@example.org`;
  await page.getByLabel("E-mail address").fill(mailbox);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("status")).toContainText(`We sent a one-time confirmation link to ${mailbox}`);
  const mail = await mailTo(mailbox);
  expect(mail.subject).toBe(`[Custos] Confirm alerts for account ${account}`);
  const confirmLink = mail.text?.match(/https?:\/\/\S+[?&]confirm=[\w-]+/)?.[0];
  expect(confirmLink, "the confirmation mail carries a link to this dApp").toMatch(
    new RegExp(`^${baseUrl()}/alerts\\?`),
  );
  await page.goto(confirmLink!);
  await expect(page.getByRole("heading", { name: "Confirm your alert subscription" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm subscription" }).click();
  await expect(page.getByRole("status")).toHaveText(
    `Confirmed. Alerts for ${account} now go to ${mailbox}. Every alert carries a link to unsubscribe in one click.`,
  );
  await axe(page, "/alerts (confirmed)");
  // the link is one-time: opening it again is refused in words
  await page.goto(confirmLink!);
  await page.getByRole("button", { name: "Confirm subscription" }).click();
  await expect(page.locator("p[role=alert]")).toHaveText("This confirmation link is unknown or was already used");

  const missing = await page.goto(`${baseUrl()}/no-such-page`);
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await axe(page, "/404");
  await screens(page, "not-found");
  const icon = await page.request.get(`${baseUrl()}/icon.svg`);
  expect(icon.ok()).toBe(true);
  await page.goto(`${baseUrl()}/`);
  await screens(page, "home");
  await page.goto(`${baseUrl()}/create`);
  await screens(page, "create");

  // a custom recovery delay, refused outside the deployment's bounds, accepted inside them
  await revealAndQuiz(page);
  await page.getByLabel("Address").fill(guardian(2));
  await page.getByLabel("Custom").check();
  await page.getByLabel("Custom recovery delay").fill("100000");
  await page.getByLabel("Unit").selectOption("days");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page.locator("p[role=alert]")).toContainText("Choose a recovery delay between");
  await axe(page, "/create (custom delay refused)");
  await screens(page, "create-custom-delay");
  await page.getByLabel("Custom recovery delay").fill("10");
  await page.getByLabel("Unit").selectOption("minutes");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page.getByLabel("Wallet password (unlocks the wallet on this device)")).toBeVisible();
});

test("phone width (390×844): dashboard and create fit the screen", async ({ browser }) => {
  await owner.setViewportSize({ width: 390, height: 844 });
  await owner.goto(`${baseUrl()}/dashboard`);
  await owner.getByLabel("Wallet password").fill(WALLET_PASSWORD);
  await owner.getByRole("button", { name: "Unlock" }).click();
  await expect(owner.getByRole("heading", { name: "My wallet" })).toBeVisible();
  await expect(owner.getByTestId("balance")).toContainText("ETH");
  await expectNoHorizontalScroll(owner);
  // the menu sits on one line, its last link inside the screen
  const menu = owner.getByRole("navigation", { name: "Main" });
  const first = (await menu.getByRole("link").first().boundingBox())!;
  const last = (await menu.getByRole("link", { name: "Alerts" }).boundingBox())!;
  expect(Math.abs(first.y - last.y)).toBeLessThan(2);
  expect(last.x + last.width).toBeLessThanOrEqual(390);
  await shot(owner, "phone-dashboard");
  await axe(owner, "/dashboard (390×844)");
  await ownerDevice.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  await page.goto(`${baseUrl()}/create`);
  await expectNoHorizontalScroll(page);
  await revealAndQuiz(page);
  await expectNoHorizontalScroll(page);
  await shot(page, "phone-create-guardians");
  await axe(page, "/create (guardians, 390×844)");
  await phone.close();
});

test("keyboard only (Tab/Enter/Space): create a wallet, then recover it on another device", async ({ browser }) => {
  const kb = await browser.newContext();
  const page = await kb.newPage();
  await page.goto(`${baseUrl()}/create`);
  await keyPress(page, page.getByRole("button", { name: "Reveal my words" }));
  const phrase = (await page.getByTestId("seed-words").locator("li").allInnerTexts()).map((t) =>
    t.replace(/^\d+\.\s*/, "").trim(),
  );
  await keyPress(page, page.getByRole("button", { name: "I wrote them down" }));
  for (const label of await page.locator("form label").allInnerTexts()) {
    const n = Number(/Word #(\d+)/.exec(label)?.[1]);
    if (n) await keyType(page, page.getByLabel(label, { exact: true }), phrase[n - 1]!);
  }
  await keyPress(page, page.getByRole("button", { name: "Check words" }));
  await keyType(page, page.getByLabel("Address"), guardian(2));
  await keyType(page, page.getByLabel("Name (optional, kept in your recovery kit)"), "Carol");
  await expect(page.getByLabel(/^Demo/)).toBeChecked();
  await keyPress(page, page.getByRole("button", { name: "Continue", exact: true }));
  await keyType(page, page.getByLabel("Wallet password (unlocks the wallet on this device)"), WALLET_PASSWORD);
  await keyPress(page, page.getByRole("button", { name: "Save wallet on this device" }));
  await keyPress(page, page.getByRole("button", { name: "Continue", exact: true }));
  const kbAccount = (await page.getByTestId("address").first().innerText()).trim();
  await fund(kbAccount);
  await expect(page.getByTestId("balance")).toContainText("10 ETH");
  await keyPress(page, page.getByRole("button", { name: "Create my account" }));
  await page.waitForURL("**/dashboard", { timeout: 60_000 });
  await expect(page.getByRole("region", { name: "Guardians" }).getByText("Carol")).toBeVisible();
  await axe(page, "/dashboard (keyboard-created account)");
  await kb.close();

  const device = await browser.newContext();
  const r = await device.newPage();
  await r.goto(`${baseUrl()}/recover`);
  await keyType(r, r.getByLabel("Your account address"), kbAccount);
  await r.keyboard.press("Enter");
  await keyPress(r, r.getByRole("button", { name: "Reveal my words" }));
  const newPhrase = (await r.getByTestId("seed-words").locator("li").allInnerTexts()).map((t) =>
    t.replace(/^\d+\.\s*/, "").trim(),
  );
  await keyPress(r, r.getByRole("button", { name: "I wrote them down" }));
  for (const label of await r.locator("form label").allInnerTexts()) {
    const n = Number(/Word #(\d+)/.exec(label)?.[1]);
    if (n) await keyType(r, r.getByLabel(label, { exact: true }), newPhrase[n - 1]!);
  }
  await keyPress(r, r.getByRole("button", { name: "Check words" }));
  await keyType(r, r.getByLabel("Wallet password (unlocks the wallet on this device)"), WALLET_PASSWORD);
  await keyPress(r, r.getByRole("button", { name: "Save wallet on this device" }));
  await keyPress(r, r.getByRole("button", { name: "Continue", exact: true }));
  await expect(r.getByTestId("approval-count")).toContainText("0 / 1");
  await axe(r, "/recover (keyboard, asking guardians)");
  await guardianSigns(browser, 2, await r.getByTestId("guardian-link").inputValue());
  await expect(r.getByTestId("approval-count")).toContainText("1 / 1");
  await keyPress(r, r.getByRole("button", { name: "Start recovery" }));
  await expect(r.getByRole("heading", { name: "Recovery started" })).toBeVisible({ timeout: 60_000 });
  await timeTravel(120);
  await keyPress(r, r.getByRole("button", { name: "Finish recovery" }));
  await r.waitForURL("**/dashboard", { timeout: 60_000 });
  await expect(r.getByTestId("address").first()).toHaveText(kbAccount);
  expect(await ownerOf(kbAccount as Address)).toBe(
    privateKeyToAccount(deriveOwnerPrivateKey(newPhrase.join(" "))).address,
  );
  await device.close();
});
