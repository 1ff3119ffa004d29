import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const baseUrl = () => process.env.E2E_BASE_URL!;
export const rpcUrl = () => process.env.E2E_RPC_URL!;
export const guardianKey = (i: number) => (JSON.parse(process.env.E2E_GUARDIAN_KEYS!) as Hex[])[i]!;
/** The id of the local chain the suite runs (globalSetup starts it). */
export const CHAIN_ID = 31337;

export async function rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(rpcUrl(), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result as T;
}

export async function fund(address: string, wei = 10n ** 19n) {
  await rpc("hardhat_setBalance", [address, `0x${wei.toString(16)}`]);
}

export async function timeTravel(seconds: number) {
  await rpc("evm_increaseTime", [seconds]);
  await rpc("evm_mine");
}

export const WALLET_PASSWORD = "violet harbour pencil 93 lantern";
export const BACKUP_PASSWORD = "granite owl sunrise 47 meadow";

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/e2e-${name}.png`, fullPage: true });
}

/**
 * Screenshots of the page as it is now at desktop (1280 px) and phone (390 px) width, under
 * test-results/screens/, checking at each width that nothing scrolls sideways; the viewport is restored.
 */
export async function screens(page: Page, name: string) {
  const before = page.viewportSize() ?? { width: 1100, height: 900 };
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
    await expectNoHorizontalScroll(page);
  }
  await page.setViewportSize(before);
}

/** Reads the revealed words and answers the quiz. */
export async function revealAndQuiz(page: Page): Promise<string[]> {
  await page.getByRole("button", { name: "Reveal my words" }).click();
  const words = (await page.getByTestId("seed-words").locator("li").allInnerTexts()).map((t) =>
    t.replace(/^\d+\.\s*/, "").trim(),
  );
  await page.getByRole("button", { name: "I wrote them down" }).click();
  for (const label of await page.locator("form label").allInnerTexts()) {
    const n = Number(/Word #(\d+)/.exec(label)?.[1]);
    if (n) await page.getByLabel(label, { exact: true }).fill(words[n - 1]!);
  }
  await page.getByRole("button", { name: "Check words" }).click();
  return words;
}

/**
 * A test-only EIP-1193 wallet injected into the page: announces itself via EIP-6963, signs typed data
 * and transactions in Node with a local key (exposeFunction), forwards reads to the dApp's RPC proxy.
 */
export async function injectWallet(context: BrowserContext, privateKey: Hex, chainId: number) {
  const account = privateKeyToAccount(privateKey);
  const wallet = createWalletClient({ account, transport: http(rpcUrl()) });
  await context.exposeFunction("__e2eWallet", async (method: string, params: unknown[]) => {
    if (method === "eth_signTypedData_v4") {
      const typed = JSON.parse(params[1] as string) as {
        domain: Record<string, unknown>;
        types: Record<string, { name: string; type: string }[]>;
        primaryType: string;
        message: Record<string, unknown>;
      };
      delete typed.types.EIP712Domain;
      const fields = typed.types[typed.primaryType]!;
      const message = Object.fromEntries(
        Object.entries(typed.message).map(([k, v]) => [
          k,
          fields.find((f) => f.name === k)?.type.startsWith("uint") ? BigInt(v as string) : v,
        ]),
      );
      return account.signTypedData({
        domain: { ...typed.domain, chainId: Number(typed.domain.chainId) },
        types: typed.types,
        primaryType: typed.primaryType,
        message,
      } as Parameters<typeof account.signTypedData>[0]);
    }
    if (method === "eth_sendTransaction") {
      const tx = (params[0] ?? {}) as { to: Hex; data?: Hex; value?: Hex };
      return wallet.sendTransaction({
        to: tx.to,
        data: tx.data,
        value: tx.value ? BigInt(tx.value) : 0n,
        chain: {
          id: chainId,
          name: "e2e",
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          rpcUrls: { default: { http: [rpcUrl()] } },
        },
      });
    }
    throw new Error(`unsupported ${method}`);
  });
  await context.addInitScript(
    ({ address, chainHex }) => {
      const w = window as unknown as { __e2eWallet: (m: string, p: unknown[]) => Promise<unknown> };
      const provider = {
        async request({ method, params = [] }: { method: string; params?: unknown[] }) {
          if (method === "eth_requestAccounts" || method === "eth_accounts") return [address];
          if (method === "eth_chainId") return chainHex;
          if (method === "net_version") return String(parseInt(chainHex, 16));
          if (method === "wallet_switchEthereumChain" || method === "wallet_requestPermissions") return null;
          if (method === "eth_signTypedData_v4" || method === "eth_sendTransaction")
            return w.__e2eWallet(method, params);
          const res = await fetch("/api/rpc", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
          });
          const body = await res.json();
          if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code });
          return body.result;
        },
        on() {},
        removeListener() {},
      };
      const detail = Object.freeze({
        info: {
          uuid: "6f1c1d9e-2d0e-4f55-9a53-e2e000000001",
          name: "E2E Wallet",
          icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/%3E",
          rdns: "test.custos.e2e",
        },
        provider,
      });
      (window as unknown as { ethereum: unknown }).ethereum = provider;
      const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
    },
    { address: account.address, chainHex: `0x${chainId.toString(16)}` },
  );
  return account.address;
}

/** A browser of its own (a fresh context, so nothing shared with other devices) with the test wallet of `privateKey`. */
export async function walletBrowser(browser: Browser, privateKey: Hex) {
  const context = await browser.newContext();
  await injectWallet(context, privateKey, CHAIN_ID);
  return { context, page: await context.newPage() };
}

/** Connects the injected guardian wallet unless wagmi already reconnected it on its own. */
export async function connectGuardian(page: Page) {
  const connected = page.getByTestId("guardian-address");
  const button = page.getByRole("button", { name: "Connect E2E Wallet" });
  await expect(connected.or(button).first()).toBeVisible();
  if (await button.isVisible()) await button.click({ timeout: 3000 }).catch(() => undefined);
  await expect(connected).toBeVisible();
}

/**
 * Runs axe on the page as it is now, prints one summary line, and fails on any serious or critical
 * violation.
 */
export async function axe(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const listed = result.violations.map((v) => ` ${v.id}[${v.impact}×${v.nodes.length}]`).join("");
  console.log(
    `axe ${name}: ${result.passes.length} rules passed, ${result.violations.length} violated${listed || ""}, ${bad.length} serious/critical`,
  );
  expect(bad.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** Presses Tab until `target` has the focus (keyboard-only journeys). */
export async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

export async function keyPress(page: Page, target: Locator, key: "Enter" | "Space" = "Enter") {
  await expect(target).toBeEnabled();
  await tabTo(page, target);
  await page.keyboard.press(key);
}

export async function keyType(page: Page, target: Locator, text: string) {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

/** The page fits the viewport's width (no sideways scrolling). */
export async function expectNoHorizontalScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, "page wider than the screen").toBeLessThanOrEqual(client);
}

export async function latestBlockTime(): Promise<number> {
  const block = await rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  return Number(block.timestamp);
}

/** Mines the next block at exactly `timestamp` (later blocks continue from there). */
export async function mineAt(timestamp: number) {
  await rpc("evm_setNextBlockTimestamp", [timestamp]);
  await rpc("evm_mine");
}

/**
 * Records every text the slow-password progress (KdfProgress, data-testid="kdf-progress") shows on the page
 * from now on; the returned function reads them. It can appear for well under a second, so it is watched
 * with a MutationObserver in the page rather than polled.
 */
export async function recordKdfProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __kdfSeen?: string[]; __kdfWatch?: MutationObserver };
    w.__kdfWatch?.disconnect();
    const seen: string[] = (w.__kdfSeen = []);
    w.__kdfWatch = new MutationObserver(() => {
      document.querySelectorAll('[data-testid="kdf-progress"]').forEach((el) => {
        const text = (el.textContent ?? "").trim();
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      });
    });
    w.__kdfWatch.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __kdfSeen?: string[] }).__kdfSeen ?? []);
}

/** What KdfProgress says while `label` runs (B3: the memory-hard KDF is slow on purpose, and says why). */
export const kdfText = (label: string) =>
  new RegExp(`^${label}: \\d{1,3}% — this slow step is what protects your words from password guessing\\.$`);
