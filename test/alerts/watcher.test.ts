/**
 * The alert watcher end to end: a Hardhat node, Custos deployed, one account with three guardians,
 * a real SMTP server and a webhook receiver on loopback. Each test continues the chain of the one
 * before (they run in order).
 */
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { openDatabase, type Database } from "../../server/db/index.js";
import { mailerFromEnv } from "../../server/alerts/channels.js";
import { formatTime } from "../../server/alerts/message.js";
import { confirmSubscription, subscribe, unsubscribe } from "../../server/alerts/subscriptions.js";
import { verifyWebhookSignature } from "../../server/alerts/webhookSignature.js";
import { startWatcher, type StopWatcher } from "../../server/alerts/watcher.js";
import { DEV_KEYS, LocalChain, type TestAccount } from "./helpers/localChain.js";
import { startSmtpSink, type ReceivedMail, type SmtpSink } from "./helpers/smtpSink.js";
import { startWebhookReceiver, type ReceivedHook, type WebhookReceiver } from "./helpers/webhookReceiver.js";
import { waitFor } from "./helpers/wait.js";

const CHAIN_PORT = 8721;
const SMTP_PORT = 2526;
const WEBHOOK_PORT = 8741;
const APP_URL = "https://custos.example";
const OWNER_MAIL = "owner@example.org";

describe("alert watcher on a local chain", { timeout: 240_000 }, () => {
  let chain: LocalChain;
  let smtp: SmtpSink;
  let hooks: WebhookReceiver;
  let dir: string;
  let dbFile: string;
  let db: Database;
  let account: TestAccount;
  let stop: StopWatcher | undefined;
  let webhookSecret: string;
  const errors: unknown[] = [];
  let ticks = 0;

  const mail = () => ({
    mailer: mailerFromEnv({ CUSTOS_SMTP_URL: smtp.url })!,
    from: "Custos alerts <alerts@custos.example>",
  });
  /** The test receivers listen on loopback: allowed here as the local stack allows them. */
  const webhooks = { allowPrivate: true, timeoutMs: 2_000 };
  const services = () => ({ db, appUrl: APP_URL, mail: mail(), webhooks });
  const run = () => {
    stop = startWatcher({
      client: chain.publicClient,
      deployment: chain.deployment,
      db,
      mailer: mail().mailer,
      mailFrom: mail().from,
      appUrl: APP_URL,
      pollIntervalMs: 100,
      retry: { baseDelayMs: 100, maxDelayMs: 400 },
      webhooks,
      onError: (e) => errors.push(e),
      onTick: () => ticks++,
    });
  };
  const halt = async () => {
    await stop?.();
    stop = undefined;
  };
  /** Waits until the watcher completed `n` more ticks (so "nothing was sent" means something). */
  const settle = async (n = 5) => {
    const target = ticks + n;
    await waitFor(`${n} watcher ticks`, () => ticks >= target);
  };
  const alerts = (type: string): ReceivedHook[] =>
    hooks.received.filter((h) => h.json.type === type && h.status === 204);
  const mailsAbout = (subject: string): ReceivedMail[] => smtp.messages.filter((m) => m.subject.includes(subject));

  before(async () => {
    [chain, smtp, hooks] = await Promise.all([
      LocalChain.start(CHAIN_PORT),
      startSmtpSink(SMTP_PORT),
      startWebhookReceiver(WEBHOOK_PORT),
    ]);
    dir = mkdtempSync(path.join(tmpdir(), "custos-alerts-"));
    dbFile = path.join(dir, "custos.sqlite");
    db = await openDatabase({ engine: "sqlite", file: dbFile });
    account = await chain.createAccount();
  });

  after(async () => {
    await halt();
    await db?.destroy();
    await Promise.all([chain?.stop(), smtp?.close(), hooks?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a subscription silent until its one-time link is confirmed, and stores only the token's hash", async () => {
    run();
    const byMail = await subscribe(services(), {
      chainId: chain.deployment.chainId,
      account: account.address,
      channel: "email",
      target: OWNER_MAIL,
      role: "owner",
    });
    const byHook = await subscribe(services(), {
      chainId: chain.deployment.chainId,
      account: account.address.toLowerCase(),
      channel: "webhook",
      target: hooks.url,
      role: "guardian",
    });
    assert.equal(byMail.subscription.status, "pending");
    assert.equal(byMail.webhookSecret, undefined);
    assert.match(byHook.webhookSecret ?? "", /^whsec_/);
    webhookSecret = byHook.webhookSecret!;

    const invite = await waitFor("the confirmation e-mail", () => mailsAbout("Confirm alerts")[0]);
    assert.deepEqual(invite.to, [OWNER_MAIL]);
    const mailToken = decodeURIComponent(/\/alerts\?confirm=([\w%-]+)/.exec(invite.text)![1]!);
    const confirmHook = await waitFor("the confirmation webhook", () =>
      hooks.received.find((h) => h.json.type === "subscription.confirm"),
    );
    verifyWebhookSignature({
      secret: webhookSecret,
      body: confirmHook.body,
      timestamp: confirmHook.headers["custos-timestamp"] as string,
      signature: confirmHook.headers["custos-signature"] as string,
    });
    const hookToken = confirmHook.json.confirmToken as string;
    assert.equal(confirmHook.json.confirmUrl, `${APP_URL}/alerts?confirm=${encodeURIComponent(hookToken)}`);

    const stored = JSON.stringify(await db.selectFrom("alert_subscriptions").selectAll().execute());
    assert.ok(!stored.includes(mailToken) && !stored.includes(hookToken), "a raw confirmation token is stored");
    assert.ok(stored.includes(createHash("sha256").update(mailToken).digest("hex")));

    // An event before confirmation: seen by the watcher, sent to nobody.
    await chain.lock(account, account.guardians[0]!);
    await waitFor("the lock to be recorded", () =>
      db.selectFrom("alert_events").select("id").where("kind", "=", "account.locked").executeTakeFirst(),
    );
    await settle();
    assert.equal(mailsAbout("Account locked").length, 0);
    assert.equal(alerts("account.locked").length, 0);

    assert.equal((await confirmSubscription(services(), mailToken)).status, "active");
    assert.equal((await confirmSubscription(services(), hookToken)).status, "active");
    await assert.rejects(confirmSubscription(services(), mailToken), { code: "UNKNOWN_TOKEN" });
    assert.deepEqual(errors, []);
  });

  it("says what happened, to which account, what to do before when, links the dApp; webhooks are signed", async () => {
    const newOwner = privateKeyToAccount(DEV_KEYS[5]).address;
    await chain.startRecovery(account, newOwner);
    const { executeAfter } = await chain.pendingRecovery(account.address);
    const deadline = formatTime(Number(executeAfter));

    const email = await waitFor("the recovery e-mail", () => mailsAbout("Recovery started")[0]);
    assert.deepEqual(email.to, [OWNER_MAIL]);
    assert.match(email.headers.get("from") ?? "", /alerts@custos\.example/);
    assert.ok(email.text.includes(`A recovery of account ${account.address} to the new owner key ${newOwner}`));
    assert.ok(email.text.includes(`If this was not you, cancel with your guardians before ${deadline}`));
    assert.ok(email.text.includes(`${APP_URL}/dashboard?account=${account.address}`));
    assert.match(email.text, new RegExp(`Unsubscribe in one click: ${APP_URL}/alerts\\?unsubscribe=[\\w%-]+`));
    assert.match(email.headers.get("list-unsubscribe") ?? "", /\/api\/alerts\/unsubscribe\?token=/);
    assert.equal(email.headers.get("list-unsubscribe-post"), "List-Unsubscribe=One-Click");

    const hook = await waitFor("the recovery webhook", () => alerts("recovery.started")[0]);
    // Verified here with node:crypto alone, as any receiver would.
    const timestamp = hook.headers["custos-timestamp"] as string;
    const expected = createHmac("sha256", webhookSecret).update(`${timestamp}.${hook.body}`).digest("hex");
    assert.equal(hook.headers["custos-signature"], `v1=${expected}`);
    assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60);
    assert.equal(hook.json.account, account.address);
    assert.equal(hook.json.actionUrl, `${APP_URL}/guardian?account=${account.address}`);
    assert.equal((hook.json.data as { executeAfter: number }).executeAfter, Number(executeAfter));
    assert.ok((hook.json.action as string).includes(`before ${deadline}`));
    assert.equal(hook.headers["custos-delivery"], hook.json.id);

    const signature = hook.headers["custos-signature"] as string;
    assert.throws(
      () =>
        verifyWebhookSignature({
          secret: webhookSecret,
          body: hook.body,
          timestamp,
          signature,
          now: Number(timestamp) + 301,
        }),
      { code: "STALE_TIMESTAMP" },
    );
    assert.throws(
      () =>
        verifyWebhookSignature({
          secret: webhookSecret,
          body: hook.body.replace("recovery", "r3covery"),
          timestamp,
          signature,
        }),
      { code: "BAD_SIGNATURE" },
    );
    assert.deepEqual(errors, []);
  });

  it("resumes from the stored block after a restart and sends nothing twice", async () => {
    await halt();
    await db.destroy();
    await chain.cancelRecovery(account);
    db = await openDatabase({ engine: "sqlite", file: dbFile });
    run();

    await waitFor("the cancel e-mail", () => mailsAbout("Recovery cancelled")[0]);
    await waitFor("the cancel webhook", () => alerts("recovery.cancelled")[0]);
    await settle();
    assert.equal(mailsAbout("Recovery cancelled").length, 1);
    assert.equal(alerts("recovery.cancelled").length, 1);
    assert.equal(mailsAbout("Recovery started").length, 1);
    assert.equal(alerts("recovery.started").length, 1);
    const ids = hooks.received.filter((h) => h.status === 204).map((h) => h.json.id);
    assert.equal(new Set(ids).size, ids.length, "a webhook delivery was repeated");
    const messageIds = smtp.messages.map((m) => m.headers.get("message-id"));
    assert.equal(new Set(messageIds).size, messageIds.length, "an e-mail was repeated");
    assert.deepEqual(errors, []);
  });

  it("survives a reorganisation: the vanished alert is not sent again, the new event is sent once", async () => {
    const [, second, third] = account.guardians;
    const snapshot = await chain.snapshot();
    const before = alerts("account.locked").length;
    const vanishedTx = await chain.lock(account, second!);
    const vanished = await waitFor("the alert of the lock that will vanish", () =>
      alerts("account.locked").find((h) => h.json.transactionHash === vanishedTx),
    );

    await chain.revert(snapshot);
    const newTx = await chain.lock(account, third!);
    await waitFor("the alert of the lock after the reorganisation", () =>
      alerts("account.locked").find((h) => h.json.transactionHash === newTx),
    );
    await settle(10);

    const locks = alerts("account.locked");
    assert.equal(locks.length, before + 2);
    assert.equal(locks.filter((h) => h.json.transactionHash === vanishedTx).length, 1);
    assert.equal(locks.filter((h) => h.json.transactionHash === newTx).length, 1);
    assert.equal(mailsAbout("Account locked").length, 2);
    const row = await db
      .selectFrom("alert_events")
      .select("orphaned")
      .where("tx_hash", "=", vanishedTx)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.orphaned), 1, "the vanished event is kept as orphaned");
    assert.notEqual(vanished.json.block, undefined);
    assert.deepEqual(errors, []);
  });

  it("cancels an alert still waiting for delivery when its event vanishes in a reorganisation", async () => {
    const snapshot = await chain.snapshot();
    hooks.failing = true;
    const attemptsBefore = hooks.received.length;
    const goneTx = await chain.lock(account, account.guardians[0]!);
    await waitFor("a failed webhook attempt", () =>
      hooks.received.slice(attemptsBefore).find((h) => h.json.transactionHash === goneTx),
    );
    await chain.revert(snapshot);
    await chain.publicClient.request({ method: "evm_mine" as "eth_chainId" });
    await settle(10);
    hooks.failing = false;
    await settle(10);

    assert.equal(alerts("account.locked").filter((h) => h.json.transactionHash === goneTx).length, 0);
    const statuses = await db
      .selectFrom("alert_outbox as o")
      .innerJoin("alert_events as e", "e.id", "o.event_id")
      .innerJoin("alert_subscriptions as s", "s.id", "o.subscription_id")
      .select(["o.status", "s.channel"])
      .where("e.tx_hash", "=", goneTx)
      .orderBy("s.channel")
      .execute();
    assert.deepEqual(
      statuses.map((s) => `${s.channel}:${s.status}`),
      ["email:sent", "webhook:cancelled"],
    );
  });

  it("retries a failing webhook with backoff and delivers it once", async () => {
    hooks.failing = true;
    const attemptsBefore = hooks.received.length;
    const tx = await chain.lock(account, account.guardians[1]!);
    await waitFor(
      "two failed attempts",
      () => hooks.received.slice(attemptsBefore).filter((h) => h.json.transactionHash === tx).length >= 2 || undefined,
    );
    hooks.failing = false;
    await waitFor("the delivery after retries", () =>
      alerts("account.locked").find((h) => h.json.transactionHash === tx),
    );
    await settle(5);
    assert.equal(alerts("account.locked").filter((h) => h.json.transactionHash === tx).length, 1);
    const attempts = hooks.received.filter((h) => h.json.transactionHash === tx).map((h) => h.json.id);
    assert.equal(new Set(attempts).size, 1, "every attempt carries the same delivery id");
  });

  it("stops alerts after the one-click unsubscribe link of a message", async () => {
    const link = /\/alerts\?unsubscribe=([\w%-]+)/.exec(mailsAbout("Recovery started")[0]!.text)![1]!;
    assert.equal((await unsubscribe(services(), decodeURIComponent(link))).status, "unsubscribed");
    const mailsBefore = smtp.messages.length;

    const tx = await chain.lock(account, account.guardians[2]!);
    await waitFor("the webhook (still subscribed)", () =>
      alerts("account.locked").find((h) => h.json.transactionHash === tx),
    );
    await settle();
    assert.equal(smtp.messages.length, mailsBefore, "an e-mail was sent after unsubscribing");
    assert.deepEqual(errors, []);
  });
});
