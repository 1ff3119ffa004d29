/** The alert rules without a chain: which logs notify, what each message says, signatures, tokens, backoff. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { ALERT_KINDS, classify, type AlertData, type AlertKind } from "../../server/alerts/events.js";
import { composeAlert, formatTime } from "../../server/alerts/message.js";
import { backoffMs, DEFAULT_RETRY } from "../../server/alerts/outbox.js";
import { confirmSubscription, subscribe, unsubscribe } from "../../server/alerts/subscriptions.js";
import { signWebhook, verifyWebhookSignature, webhookSignatureHeaders } from "../../server/alerts/webhookSignature.js";
import { openDatabase } from "../../server/db/index.js";
import { startWebhookReceiver } from "./helpers/webhookReceiver.js";
import { waitFor } from "./helpers/wait.js";

const ACCOUNT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const config = {
  guardians: [A, B],
  threshold: 2n,
  recoveryDelay: 60n,
  securityPeriod: 20n,
  securityWindow: 20n,
  lockPeriod: 30n,
};

const SAMPLE: Record<AlertKind, [string, Record<string, unknown>]> = {
  "recovery.started": ["RecoveryStarted", { nonce: 0n, newOwner: B, executeAfter: 1_900_000_000n, guardianCount: 2n }],
  "recovery.approved": ["RecoveryApproved", { approvalHash: `0x${"ab".repeat(32)}`, guardian: A, newOwner: B }],
  "recovery.cancelled": ["RecoveryCancelled", { nonce: 0n, newOwner: B }],
  "recovery.executed": ["RecoveryExecuted", { nonce: 0n, previousOwner: A, newOwner: B }],
  "owner.rotated": ["OwnerChanged", { previousOwner: A, newOwner: B, reason: 2 }],
  "account.locked": ["Locked", { guardian: A, until: 1_900_000_000n }],
  "account.unlocked": ["Unlocked", { guardian: A }],
  "config.requested": [
    "ConfigChangeRequested",
    { epoch: 1n, configHash: `0x${"cd".repeat(32)}`, ...config, readyAt: 1_900_000_000n, expiresAt: 1_900_000_020n },
  ],
  "config.cancelled": ["ConfigChangeCancelled", { epoch: 1n, configHash: `0x${"cd".repeat(32)}` }],
  "config.applied": ["ConfigApplied", { epoch: 2n, configHash: `0x${"cd".repeat(32)}`, ...config }],
};

function message(kind: AlertKind, data: AlertData, role: "owner" | "guardian" = "owner") {
  return composeAlert({
    kind,
    chainId: 31337,
    account: ACCOUNT,
    txHash: `0x${"11".repeat(32)}`,
    blockNumber: 7,
    blockHash: `0x${"22".repeat(32)}`,
    blockTime: 1_899_999_000,
    data,
    role,
    appUrl: "http://127.0.0.1:3000/",
    unsubscribeUrl: "http://127.0.0.1:3000/alerts?unsubscribe=t",
    deliveryId: "d1",
  });
}

describe("which logs notify", () => {
  it("classifies every notifiable event", () => {
    for (const kind of ALERT_KINDS) {
      const [name, args] = SAMPLE[kind];
      assert.equal(classify(name, args)?.kind, kind, name);
    }
  });

  it("ignores owner changes at creation and by recovery, and the configuration applied at creation", () => {
    assert.equal(classify("OwnerChanged", { previousOwner: A, newOwner: B, reason: 0 }), undefined);
    assert.equal(classify("OwnerChanged", { previousOwner: A, newOwner: B, reason: 1 }), undefined);
    assert.equal(classify("ConfigApplied", { ...SAMPLE["config.applied"][1], epoch: 0n }), undefined);
  });
});

describe("what a message says", () => {
  it("names the account, what to do, a dApp page and the unsubscribe link, for every kind", () => {
    for (const kind of ALERT_KINDS) {
      const [name, args] = SAMPLE[kind];
      const m = message(kind, classify(name, args)!.data);
      assert.ok(m.text.includes(ACCOUNT), kind);
      assert.match(m.text, /What to do: /);
      assert.match(m.actionUrl, /^http:\/\/127\.0\.0\.1:3000\/(dashboard|guardian|recover)\?account=0x5FbDB/);
      assert.ok(m.text.includes(m.actionUrl));
      assert.ok(m.text.includes("Unsubscribe in one click: http://127.0.0.1:3000/alerts?unsubscribe=t"));
      assert.equal(m.webhookBody.type, kind);
    }
  });

  it("tells the owner to cancel a recovery with the guardians before executeAfter", () => {
    const m = message("recovery.started", classify(...SAMPLE["recovery.started"])!.data);
    assert.equal(formatTime(1_900_000_000), "2030-03-17 17:46:40 UTC");
    assert.ok(m.action.startsWith("If this was not you, cancel with your guardians before 2030-03-17 17:46:40 UTC"));
    assert.ok(m.action.includes("a cancel needs 2 signatures from the owner and the guardians"), "⌈(2+1)/2⌉ = 2");
    assert.equal(m.actionUrl, `http://127.0.0.1:3000/dashboard?account=${ACCOUNT}`);
    const forGuardian = message("recovery.started", classify(...SAMPLE["recovery.started"])!.data, "guardian");
    assert.equal(forGuardian.actionUrl, `http://127.0.0.1:3000/guardian?account=${ACCOUNT}`);
  });

  it("sends a taken-over owner to the recover page", () => {
    assert.match(message("recovery.executed", classify(...SAMPLE["recovery.executed"])!.data).actionUrl, /\/recover\?/);
    assert.match(message("owner.rotated", classify(...SAMPLE["owner.rotated"])!.data).actionUrl, /\/recover\?/);
  });
});

describe("webhook signatures", () => {
  const secret = "whsec_test";
  const body = JSON.stringify({ type: "account.locked" });

  it("signs HMAC-SHA256 over timestamp.body and verifies", () => {
    const headers = webhookSignatureHeaders(secret, body, 1_700_000_000);
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    assert.equal(headers["Custos-Signature"], `v1=${expected}`);
    assert.equal(signWebhook(secret, 1_700_000_000, body), expected);
    verifyWebhookSignature({
      secret,
      body,
      timestamp: headers["Custos-Timestamp"],
      signature: `v1=${"00".repeat(32)}, ${headers["Custos-Signature"]}`,
      now: 1_700_000_100,
    });
  });

  it("rejects a replayed (old) timestamp, another secret, another body and a missing timestamp", () => {
    const h = webhookSignatureHeaders(secret, body, 1_700_000_000);
    const input = { secret, body, timestamp: h["Custos-Timestamp"], signature: h["Custos-Signature"] };
    assert.throws(() => verifyWebhookSignature({ ...input, now: 1_700_000_301 }), { code: "STALE_TIMESTAMP" });
    assert.throws(() => verifyWebhookSignature({ ...input, now: 1_699_999_699 }), { code: "STALE_TIMESTAMP" });
    assert.throws(() => verifyWebhookSignature({ ...input, secret: "other", now: 1_700_000_000 }), {
      code: "BAD_SIGNATURE",
    });
    assert.throws(() => verifyWebhookSignature({ ...input, body: `${body} `, now: 1_700_000_000 }), {
      code: "BAD_SIGNATURE",
    });
    assert.throws(() => verifyWebhookSignature({ ...input, timestamp: undefined }), { code: "BAD_SIGNATURE" });
  });
});

/** The test receivers listen on loopback: allowed here as the local stack allows them. */
const LOCAL_WEBHOOKS = { allowPrivate: true, timeoutMs: 2_000 };

describe("subscriptions", () => {
  it("refuses bad input before storing anything", async () => {
    const db = await openDatabase({ engine: "sqlite", file: ":memory:" });
    const services = { db, appUrl: "http://127.0.0.1:3000", webhooks: LOCAL_WEBHOOKS };
    const base = { chainId: 31337, account: ACCOUNT, channel: "webhook" as const, target: "http://127.0.0.1:1/x" };
    await assert.rejects(subscribe(services, { ...base, account: "0x1234" }), { code: "INVALID_SUBSCRIPTION" });
    await assert.rejects(subscribe(services, { ...base, target: "ftp://x" }), { code: "INVALID_SUBSCRIPTION" });
    await assert.rejects(subscribe(services, { ...base, events: ["recovery.started", "nope"] }), {
      code: "INVALID_SUBSCRIPTION",
    });
    await assert.rejects(subscribe(services, { ...base, channel: "email", target: "a@example.org" }), {
      code: "NOT_CONFIGURED",
    });
    // An unreachable webhook: the confirmation cannot be delivered, so nothing is kept.
    await assert.rejects(subscribe(services, base), { code: "DELIVERY_FAILED" });
    const { n } = await db
      .selectFrom("alert_subscriptions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), 0);
    await db.destroy();
  });

  it("expires the confirmation link after 48 hours; unsubscribe is idempotent", async () => {
    const receiver = await startWebhookReceiver(8743);
    const db = await openDatabase({ engine: "sqlite", file: ":memory:" });
    let now = 1_000_000;
    const services = { db, appUrl: "http://127.0.0.1:3000", webhooks: LOCAL_WEBHOOKS, now: () => now };
    try {
      const input = { chainId: 31337, account: ACCOUNT, channel: "webhook" as const, target: receiver.url };
      await subscribe(services, { ...input, events: ["account.locked"] });
      const late = await waitFor("confirmation", () => receiver.received[0]);
      now += 48 * 3600 + 1;
      await assert.rejects(confirmSubscription(services, late.json.confirmToken as string), {
        code: "TOKEN_EXPIRED",
      });

      const { subscription } = await subscribe(services, input);
      assert.equal(subscription.events.length, ALERT_KINDS.length, "no event list means every event");
      const fresh = await waitFor("confirmation", () => receiver.received[1]);
      await confirmSubscription(services, fresh.json.confirmToken as string);
      const token = new URL(fresh.json.unsubscribeUrl as string).searchParams.get("unsubscribe")!;
      assert.equal((await unsubscribe(services, token)).status, "unsubscribed");
      assert.equal((await unsubscribe(services, token)).status, "unsubscribed");
      await assert.rejects(unsubscribe(services, "unknown"), { code: "UNKNOWN_TOKEN" });
    } finally {
      await db.destroy();
      await receiver.close();
    }
  });
});

describe("delivery retries", () => {
  it("backs off exponentially up to the cap", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 5000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffMs(policy, n)),
      [1000, 2000, 4000, 5000, 5000],
    );
  });
});
