/**
 * The built dApp as operators start it. `npm run start:app` serves it through server/appServer.ts,
 * so the write limit keys on each socket address and a spoofed X-Forwarded-For buys nothing. Plain
 * `next start` cannot see socket addresses: every client shares one budget, X-Forwarded-For is
 * ignored even with a trusted proxy configured, and the dApp says so once at startup. The same
 * build serves two configured chains (R3): the header's network select lists both, the
 * `custos_chain` cookie picks the one the page is rendered for, and /api/rpc?chainId= reaches each
 * chain's node (two anvils) and refuses a chain it does not serve.
 */
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startAnvil, type Anvil } from "../integration/realNetworks/helpers/anvil.js";
import { deployment, DIST, ensureBuild, NEXT, startServer, type Started } from "./helpers/build.js";
import { postFrom } from "./helpers/serve.js";

const PORTS = { alpha: 9310, beta: 9311, appServer: 9312, nextStart: 9313 };
const CHAINS = { alpha: 4_243, beta: 4_244 };
const WARNING = /requests are not stamped with their socket address/;

const write = (url: string, from: string, headers: Record<string, string> = {}) =>
  postFrom(from, `${url}/api/requests`, "{}", headers).then((r) => r.status);

async function chainIdVia(url: string, query: string) {
  const res = await fetch(`${url}/api/rpc${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  });
  return { status: res.status, body: (await res.json()) as { result?: string; error?: { message: string } } };
}

describe("the built dApp, started by npm run start:app and by plain next start", { timeout: 900_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const anvils: Anvil[] = [];
  let app: Started;
  let plain: Started;

  before(async () => {
    ensureBuild(); // a few minutes when the sources changed since the last build, else nothing
    dir = mkdtempSync(path.join(tmpdir(), "custos-start-"));
    mkdirSync(path.join(dir, "deployments"));
    for (const [network, chainId] of Object.entries(CHAINS)) {
      writeFileSync(path.join(dir, "deployments", `${network}.json`), JSON.stringify(deployment(network, chainId)));
      anvils.push(await startAnvil({ port: PORTS[network as keyof typeof CHAINS], chainId }));
    }
    env = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      CUSTOS_NEXT_DIST_DIR: DIST,
      CUSTOS_DEPLOYMENTS_DIR: path.join(dir, "deployments"),
      CUSTOS_NETWORK: "alpha",
      CUSTOS_NETWORKS: "alpha,beta",
      CUSTOS_RPC_URL: `http://127.0.0.1:${PORTS.alpha}`,
      CUSTOS_RPC_URL_BETA: `http://127.0.0.1:${PORTS.beta}`,
      CUSTOS_DATABASE_URL: path.join(dir, "custos.sqlite"),
      CUSTOS_WRITE_LIMIT: "3",
    };
    delete env.CUSTOS_TRUSTED_PROXIES;
    [app, plain] = await Promise.all([
      startServer(
        "npm",
        ["run", "start:app", "--", "-p", String(PORTS.appServer)],
        `http://127.0.0.1:${PORTS.appServer}`,
        env,
      ),
      startServer(
        process.execPath,
        [NEXT, "start", "app", "-H", "127.0.0.1", "-p", String(PORTS.nextStart)],
        `http://127.0.0.1:${PORTS.nextStart}`,
        // Even with every loopback address a "trusted proxy", an unstamped request's header is not believed.
        { ...env, CUSTOS_TRUSTED_PROXIES: "127.0.0.0/8" },
      ),
    ]);
  });

  after(async () => {
    await app?.stop();
    await plain?.stop();
    await Promise.all(anvils.map((a) => a.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("npm run start:app keys the write limit on the socket address, whatever X-Forwarded-For says", async () => {
    assert.match(app.output(), /Custos dApp on http:\/\/127\.0\.0\.1:9312/, "served by server/appServer.ts");
    assert.doesNotMatch(app.output(), WARNING);
    for (let i = 0; i < 3; i++) assert.equal(await write(app.url, "127.0.0.1"), 400, "a malformed body, counted");
    assert.equal(await write(app.url, "127.0.0.1"), 429);
    assert.equal(await write(app.url, "127.0.0.1", { "x-forwarded-for": "203.0.113.7" }), 429, "spoofing buys nothing");
    assert.equal(await write(app.url, "127.0.0.2"), 400, "another address has its own budget");
  });

  it("plain next start warns once at startup and gives every client one budget", async () => {
    assert.equal(plain.output().match(new RegExp(WARNING, "g"))?.length, 1, plain.output());
    for (let i = 0; i < 3; i++) assert.equal(await write(plain.url, "127.0.0.1"), 400);
    assert.equal(await write(plain.url, "127.0.0.2"), 429, "no socket address: one shared budget");
    assert.equal(
      await write(plain.url, "127.0.0.3", { "x-forwarded-for": "203.0.113.8" }),
      429,
      "X-Forwarded-For is not believed without a socket address, trusted proxies or not",
    );
  });

  it("offers the configured chains in the header and renders the one the cookie names", async () => {
    const page = async (cookie?: string) => (await fetch(app.url, { headers: cookie ? { cookie } : {} })).text();
    const html = await page();
    assert.match(html, /<select[^>]*aria-label="Network"/);
    const option = (network: string, id: number) =>
      new RegExp(`${network}(<!-- -->)? \\((<!-- -->)?${id}(<!-- -->)?\\)`);
    assert.match(html, option("alpha", CHAINS.alpha));
    assert.match(html, option("beta", CHAINS.beta));
    const rendered = (network: string, id: number) =>
      new RegExp(`\\\\?"network\\\\?":\\\\?"${network}\\\\?",\\\\?"chainId\\\\?":${id}`);
    const selected = (id: number) => new RegExp(`<option value="${id}" selected=""`);
    assert.match(html, rendered("alpha", CHAINS.alpha), "the default network without a cookie");
    assert.match(html, selected(CHAINS.alpha));
    const chosen = await page(`custos_chain=${CHAINS.beta}`);
    assert.match(chosen, rendered("beta", CHAINS.beta), "the chosen chain with it");
    assert.match(chosen, selected(CHAINS.beta));
    assert.doesNotMatch(chosen, rendered("alpha", CHAINS.alpha));
    assert.match(await page("custos_chain=999"), rendered("alpha", CHAINS.alpha), "an unknown choice falls back");
  });

  it("the built app's RPC proxy reaches each chain's node by ?chainId= and refuses others", async () => {
    assert.equal((await chainIdVia(app.url, `?chainId=${CHAINS.beta}`)).body.result, "0x1094");
    assert.equal((await chainIdVia(app.url, `?chainId=${CHAINS.alpha}`)).body.result, "0x1093");
    assert.equal((await chainIdVia(app.url, "")).body.result, "0x1093");
    const unknown = await chainIdVia(app.url, "?chainId=5");
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error!.message, /serves no chain 5; it serves 4243 \(alpha\), 4244 \(beta\)/);
  });
});
