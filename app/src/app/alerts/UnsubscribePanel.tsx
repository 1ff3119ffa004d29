"use client";
import { useEffect, useState } from "react";
import { ErrorText } from "@/components/ErrorText";
import { postAlerts } from "./postAlerts";
import { Card } from "@/components/ui";

interface Stopped {
  subscription: { account: string; target: string };
}

/** Opening the unsubscribe link of a message is the one click: the page unsubscribes on load. */
export function UnsubscribePanel({ token }: { token: string }) {
  const [done, setDone] = useState<Stopped>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    postAlerts<Stopped>("/api/alerts/unsubscribe", { token }).then(setDone, setError);
  }, [token]);

  return (
    <Card aria-labelledby="unsub-h" aria-busy={!done && !error}>
      <h2 id="unsub-h">Unsubscribe</h2>
      {done && (
        <p role="status">
          Unsubscribed: no more alerts for <code>{done.subscription.account}</code> to{" "}
          <code>{done.subscription.target}</code>. You can subscribe again at any time from <a href="/alerts">Alerts</a>
          .
        </p>
      )}
      {!done && !error && <p>Unsubscribing…</p>}
      <ErrorText error={error} />
    </Card>
  );
}
