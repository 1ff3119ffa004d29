/** `custos alerts …` (scripts/custos.ts) run as its own process against a temporary database, SMTP server and webhook receiver. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { startSmtpSink, type SmtpSink } from "./helpers/smtpSink.js";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhookReceiver.js";
import { waitFor } from "./helpers/wait.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ACCOUNT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const run = promisify(execFile);

describe("custos alerts command", { timeout: 120_000 }, () => {
  let smtp: SmtpSink;
  let hooks: WebhookReceiver;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const alerts = async (...args: string[]) => {
    const { stdout } = await run(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/custos.ts", "alerts", ...args], {
      cwd: ROOT,
      env,
    });
    return stdout;
  };

  before(async () => {
    [smtp, hooks] = await Promise.all([startSmtpSink(2527), startWebhookReceiver(8742)]);
    dir = mkdtempSync(path.join(tmpdir(), "custos-alerts-cli-"));
    env = {
      ...process.env,
      CUSTOS_DATABASE_URL: path.join(dir, "db.sqlite"),
      // The receiver listens on loopback: the operator allows it, as the local stack does.
      CUSTOS_WEBHOOK_ALLOW_PRIVATE: "1",
      CUSTOS_SMTP_URL: smtp.url,
      CUSTOS_MAIL_FROM: "alerts@custos.example",
      CUSTOS_APP_URL: "http://127.0.0.1:3121",
      NODE_NO_WARNINGS: "1",
    };
  });

  after(async () => {
    await Promise.all([smtp?.close(), hooks?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("subscribes a webhook, shows its secret once, confirms with the delivered token and unsubscribes by link", async () => {
    const out = await alerts(
      "subscribe",
      "--account",
      ACCOUNT,
      "--webhook",
      hooks.url,
      "--chain-id",
      "31337",
      "--role",
      "guardian",
    );
    assert.match(out, /is pending/);
    assert.match(out, /shown once/);
    const secret = /(whsec_[\w-]+)/.exec(out)![1]!;
    const delivery = await waitFor("the confirmation webhook", () => hooks.received[0]);
    assert.equal(delivery.json.type, "subscription.confirm");
    assert.ok(!(await alerts("list")).includes(secret), "list shows the secret");
    assert.match(await alerts("list", "--account", ACCOUNT.toLowerCase()), /pending/);

    assert.match(await alerts("confirm", delivery.json.confirmToken as string), /is active/);
    assert.match(await alerts("list", "--chain-id", "31337"), /active\s+chain 31337/);
    const unsubscribeUrl = delivery.json.unsubscribeUrl as string;
    assert.match(await alerts("unsubscribe", unsubscribeUrl), /is stopped/);
    assert.match(await alerts("list"), /unsubscribed/);
  });

  it("subscribes an e-mail address: the confirmation link goes to the mailbox, a wrong token is refused", async () => {
    const out = await alerts(
      "subscribe",
      "--account",
      ACCOUNT,
      "--email",
      "guardian@example.org",
      "--chain-id",
      "31337",
    );
    assert.doesNotMatch(out, /whsec_/);
    const invite = await waitFor("the confirmation e-mail", () => smtp.messages[0]);
    assert.deepEqual(invite.to, ["guardian@example.org"]);
    const link = /(http:\/\/127\.0\.0\.1:3121\/alerts\?confirm=[\w%-]+)/.exec(invite.text)![1]!;
    await assert.rejects(alerts("confirm", "not-a-token"), (e: { stderr: string; code: number }) => {
      assert.match(e.stderr, /unknown or was already used/);
      assert.equal(e.code, 1);
      return true;
    });
    assert.match(await alerts("confirm", link), /is active: alerts for .* go to guardian@example\.org/);
  });

  it("refuses a webhook on loopback unless the operator allows it, with one line and exit code 1", async () => {
    const strict = { ...env, CUSTOS_WEBHOOK_ALLOW_PRIVATE: "" };
    const received = hooks.received.length;
    await assert.rejects(
      run(
        path.join(ROOT, "node_modules/.bin/tsx"),
        [
          "scripts/custos.ts",
          "alerts",
          "subscribe",
          "--account",
          ACCOUNT,
          "--webhook",
          hooks.url,
          "--chain-id",
          "31337",
        ],
        { cwd: ROOT, env: strict },
      ),
      (e: { stderr: string; code: number }) => {
        assert.match(
          e.stderr,
          /^custos: the webhook host 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback or private address/m,
        );
        assert.equal(e.code, 1);
        return true;
      },
    );
    assert.equal(hooks.received.length, received, "the refused webhook was called");
  });

  it("lists the commands on --help and refuses an unknown one", async () => {
    assert.match(await alerts("--help"), /subscribe --account/);
    await assert.rejects(alerts("resubscribe"), (e: { stderr: string; code: number }) => {
      assert.match(e.stderr, /unknown alerts command "resubscribe"/);
      assert.equal(e.code, 1);
      return true;
    });
  });
});
