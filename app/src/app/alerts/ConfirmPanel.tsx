"use client";
import { useState } from "react";
import { ErrorText } from "@/components/ErrorText";
import { postAlerts } from "./postAlerts";
import { Button, Card } from "@/components/ui";

interface Confirmed {
  subscription: { account: string; target: string };
}

/** Confirmation takes one deliberate click, so a mail scanner opening the link cannot confirm for you. */
export function ConfirmPanel({ token }: { token: string }) {
  const [done, setDone] = useState<Confirmed>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      setDone(await postAlerts<Confirmed>("/api/alerts/confirm", { token }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card aria-labelledby="confirm-h">
      <h2 id="confirm-h">Confirm your alert subscription</h2>
      {done ? (
        <p role="status">
          Confirmed. Alerts for <code>{done.subscription.account}</code> now go to{" "}
          <code>{done.subscription.target}</code>. Every alert carries a link to unsubscribe in one click.
        </p>
      ) : (
        <>
          <p>Turn on alerts for this subscription? Nothing is sent until you confirm.</p>
          <Button onClick={confirm} disabled={busy}>
            {busy ? "Confirming…" : "Confirm subscription"}
          </Button>
        </>
      )}
      <ErrorText error={error} />
    </Card>
  );
}
