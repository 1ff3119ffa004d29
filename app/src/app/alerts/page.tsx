import { ConfirmPanel } from "./ConfirmPanel";
import { SubscribeForm } from "./SubscribeForm";
import { UnsubscribePanel } from "./UnsubscribePanel";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** /alerts: subscribe to an account's alerts; ?confirm=<token> and ?unsubscribe=<token> come from messages. */
export default async function AlertsPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const confirm = first(params.confirm);
  const unsubscribe = first(params.unsubscribe);
  return (
    <>
      <h1>Alerts</h1>
      {confirm && <ConfirmPanel token={confirm} />}
      {unsubscribe && <UnsubscribePanel token={unsubscribe} />}
      {!confirm && !unsubscribe && (
        <SubscribeForm
          initialAccount={first(params.account) ?? ""}
          emailAvailable={!!process.env.CUSTOS_SMTP_URL}
          inboxUrl={process.env.CUSTOS_MAIL_INBOX_URL}
        />
      )}
    </>
  );
}
