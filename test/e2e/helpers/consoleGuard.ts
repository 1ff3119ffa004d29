import { expect, test as base, type BrowserContext, type ConsoleMessage, type Page } from "@playwright/test";

/**
 * The suite's `test`: every page of every browser context a journey opens (the default one and those of
 * `browser.newContext()`, e.g. another device or a guardian's browser) is watched for console errors and
 * uncaught exceptions, and a test fails on any that is not in ALLOWED.
 */

interface Allowed {
  /** The console text. */
  text: RegExp;
  /** The page (or resource) it came from. */
  url: RegExp;
  /** Why it cannot be avoided. */
  why: string;
}

const ALLOWED: Allowed[] = [
  {
    // the journey opens a missing page on purpose to see the styled 404: Chromium logs the 404 response itself
    text: /^Failed to load resource: the server responded with a status of 404 \(Not Found\)$/,
    url: /\/no-such-page$/,
    why: "the 404 page test asks for a page that does not exist",
  },
  {
    // /api/logs answers 404 "not indexed" for an account the watcher does not follow (custos/state/logIndex.ts:
    // the dApp then reads those logs from the chain); the suite runs no watcher, so every account read meets it,
    // and Chromium logs each 404 response on its own, which no page code can prevent
    text: /^Failed to load resource: the server responded with a status of 404 \(Not Found\)$/,
    url: /\/api\/logs\?/,
    why: "the log index's designed 'not indexed' answer",
  },
  {
    // the alerts journey opens a confirmation link a second time on purpose, to see it refused (404)
    text: /^Failed to load resource: the server responded with a status of 404 \(Not Found\)$/,
    url: /\/api\/alerts\/confirm$/,
    why: "a used confirmation link, provoked by the test",
  },
];

const errors: string[] = [];
const watched = new WeakSet<BrowserContext>();

function allowed(text: string, url: string) {
  return ALLOWED.some((a) => a.text.test(text) && a.url.test(url));
}

function watchPage(page: Page) {
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() !== "error") return;
    const url = m.location().url || page.url();
    if (!allowed(m.text(), url)) errors.push(`console.error on ${page.url()} (${url}): ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`uncaught on ${page.url()}: ${e.stack ?? e.message}`));
}

function watchContext(context: BrowserContext): BrowserContext {
  if (watched.has(context)) return context;
  watched.add(context);
  context.pages().forEach(watchPage);
  context.on("page", watchPage);
  return context;
}

export const test = base.extend<{ consoleGuard: void }, { watchNewContexts: void }>({
  watchNewContexts: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => watchContext(await newContext(...args));
      await use();
      browser.newContext = newContext;
    },
    { scope: "worker", auto: true },
  ],
  context: async ({ context }, use) => {
    await use(watchContext(context));
  },
  consoleGuard: [
    // Playwright reads a fixture's dependencies from the destructuring pattern: this one has none
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      errors.length = 0;
      await use();
      expect(errors.splice(0), "console errors or uncaught exceptions on the pages of this journey").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
