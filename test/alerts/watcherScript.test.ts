/** scripts/watcher.ts run alone against a chain: follows a new account and e-mails an alert. */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { confirmSubscription, subscribe } from "../../server/alerts/subscriptions.js";
import { mailerFromEnv } from "../../server/alerts/channels.js";
import { openDatabase } from "../../server/db/index.js";
import { LocalChain } from "./helpers/localChain.js";
import { startSmtpSink, type SmtpSink } from "./helpers/smtpSink.js";
import { waitFor } from "./helpers/wait.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("scripts/watcher.ts", { timeout: 180_000 }, () => {
  let chain: LocalChain;
  let smtp: SmtpSink;
  let dir: string;
  let watcher: ChildProcess | undefined;
  let output = "";

  before(async () => {
    [chain, smtp] = await Promise.all([LocalChain.start(8722), startSmtpSink(2528)]);
    dir = mkdtempSync(path.join(tmpdir(), "custos-watcher-script-"));
  });

  after(async () => {
    if (watcher && watcher.exitCode === null) {
      const exited = new Promise((r) => watcher!.once("exit", r));
      watcher.kill("SIGTERM");
      await exited;
    }
    await Promise.all([chain?.stop(), smtp?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs alone from a deployment file and an RPC URL, and alerts a confirmed subscriber", async () => {
    const account = await chain.createAccount();
    const dbFile = path.join(dir, "db.sqlite");
    const deploymentFile = path.join(dir, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(chain.deployment));

    const db = await openDatabase({ engine: "sqlite", file: dbFile });
    const services = {
      db,
      appUrl: "http://127.0.0.1:3122",
      mail: { mailer: mailerFromEnv({ CUSTOS_SMTP_URL: smtp.url })!, from: "alerts@custos.example" },
    };
    await subscribe(services, { chainId: 31337, account: account.address, channel: "email", target: "o@example.org" });
    const invite = await waitFor("confirmation", () => smtp.messages[0]);
    await confirmSubscription(services, decodeURIComponent(/confirm=([\w%-]+)/.exec(invite.text)![1]!));
    await db.destroy();

    watcher = spawn(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/watcher.ts", "--deployment", deploymentFile, "--rpc", chain.url, "--db", dbFile, "--poll", "200"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          CUSTOS_SMTP_URL: smtp.url,
          CUSTOS_APP_URL: "http://127.0.0.1:3122",
          NODE_NO_WARNINGS: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    watcher.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    watcher.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await waitFor("the start-up line", () => output.includes("Custos alert watcher"));

    await chain.lock(account, account.guardians[0]!);
    const alert = await waitFor("the lock e-mail", () =>
      smtp.messages.find((m) => m.subject.includes("Account locked")),
    );
    assert.ok(alert.text.includes(`http://127.0.0.1:3122/guardian?account=${account.address}`));
    await waitFor("the log line", () => output.includes("1 sent"));
    assert.doesNotMatch(output, /failed:|Error/);
  });
});
