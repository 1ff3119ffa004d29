"use client";
import { useState, type FormEvent } from "react";
import { ErrorText } from "@/components/ErrorText";
import { ALERT_KIND_LABELS, ALERT_KINDS, type AlertKind } from "../../../../server/alerts/kinds";
import { postAlerts } from "./postAlerts";
import { Button, Card, Choice, Field, ui } from "@/components/ui";

interface Subscribed {
  subscription: { id: string; account: string; channel: "email" | "webhook"; target: string };
  webhookSecret?: string;
}

/** Subscribe an owner or guardian to an account's alerts by e-mail or signed webhook. */
export function SubscribeForm({
  initialAccount,
  emailAvailable,
  inboxUrl,
}: {
  initialAccount: string;
  /** The server has an SMTP relay (CUSTOS_SMTP_URL): e-mail is offered only then. */
  emailAvailable: boolean;
  /** The local mail catcher's inbox, when the stack runs one. */
  inboxUrl?: string;
}) {
  const [account, setAccount] = useState(initialAccount);
  const [role, setRole] = useState<"owner" | "guardian">("owner");
  const [channel, setChannel] = useState<"email" | "webhook">(emailAvailable ? "email" : "webhook");
  const [target, setTarget] = useState("");
  const [events, setEvents] = useState<Set<AlertKind>>(new Set(ALERT_KINDS));
  const [result, setResult] = useState<Subscribed>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  function toggle(kind: AlertKind) {
    const next = new Set(events);
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    setEvents(next);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (events.size === 0) return setError("Choose at least one event.");
    setBusy(true);
    try {
      setResult(
        await postAlerts<Subscribed>("/api/alerts/subscribe", {
          account: account.trim(),
          role,
          channel,
          target: target.trim(),
          events: [...events],
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (result) {
    const s = result.subscription;
    return (
      <Card aria-labelledby="sub-done-h">
        <h2 id="sub-done-h">Almost done: confirm the link</h2>
        <p role="status">
          {s.channel === "email"
            ? `We sent a one-time confirmation link to ${s.target}. Open it within 48 hours; nothing is sent before.${inboxUrl ? " On this local stack, mail arrives in the mail catcher's inbox." : ""}`
            : `We POSTed a signed confirmation to ${s.target}. It carries a one-time link; open it (or POST its token to /api/alerts/confirm) within 48 hours.`}
        </p>
        {s.channel === "email" && inboxUrl && (
          <p>
            <a href={inboxUrl} target="_blank" rel="noreferrer">
              Open the local inbox
            </a>
          </p>
        )}
        {result.webhookSecret && (
          <>
            <p>
              <strong>Webhook signing secret — copy it now, it is shown only once:</strong>
            </p>
            <p>
              <code aria-label="Webhook signing secret">{result.webhookSecret}</code>
            </p>
            <p className={ui.hint}>
              Each request carries <code>Custos-Timestamp</code> and <code>Custos-Signature: v1=&lt;hex&gt;</code>, the
              HMAC-SHA256 of <code>timestamp + &quot;.&quot; + body</code> with this secret. Reject timestamps older
              than five minutes.
            </p>
          </>
        )}
      </Card>
    );
  }

  return (
    <form className={ui.card} onSubmit={submit} aria-labelledby="sub-h" noValidate>
      <h2 id="sub-h">Get alerted about an account</h2>
      <p className={ui.hint}>
        Recovery, signer rotation, lock and guardian changes: know within seconds, with what to do and a link to do it.
      </p>

      <Field
        label="Account address"
        id="alert-account"
        name="account"
        value={account}
        onChange={(e) => setAccount(e.target.value)}
        placeholder="0x…"
        autoComplete="off"
        spellCheck={false}
        required
      />

      <Choice legend="I am this account's">
        <label>
          <input type="radio" name="role" checked={role === "owner"} onChange={() => setRole("owner")} />
          Owner
        </label>
        <label>
          <input type="radio" name="role" checked={role === "guardian"} onChange={() => setRole("guardian")} />
          Guardian
        </label>
      </Choice>

      <Choice legend="Send alerts by">
        {emailAvailable && (
          <label>
            <input type="radio" name="channel" checked={channel === "email"} onChange={() => setChannel("email")} />
            E-mail
          </label>
        )}
        <label>
          <input type="radio" name="channel" checked={channel === "webhook"} onChange={() => setChannel("webhook")} />
          Webhook (signed HTTP POST)
        </label>
        {!emailAvailable && (
          <p className={ui.hint}>E-mail alerts are not available: this server has no mail relay configured.</p>
        )}
      </Choice>

      <Field
        label={channel === "email" ? "E-mail address" : "Webhook URL"}
        id="alert-target"
        name="target"
        type={channel === "email" ? "email" : "url"}
        value={target}
        onChange={(e) => setTarget(e.target.value)}
        placeholder={channel === "email" ? "you@example.org" : "https://example.org/hooks/custos"}
        autoComplete={channel === "email" ? "email" : "url"}
        required
      />

      <Choice legend="Which events">
        {ALERT_KINDS.map((kind) => (
          <label key={kind}>
            <input type="checkbox" checked={events.has(kind)} onChange={() => toggle(kind)} />
            {ALERT_KIND_LABELS[kind]}
          </label>
        ))}
      </Choice>

      <Button type="submit" disabled={busy}>
        {busy ? "Subscribing…" : "Subscribe"}
      </Button>
      <ErrorText error={error} />
    </form>
  );
}
