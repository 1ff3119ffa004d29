"use client";
import { useEffect, useMemo, useState } from "react";
import { isAddressEqual, type Address } from "viem";
import { parseApprovalRequest, type AccountState, type ApprovalRequest } from "@custos";
import type { Session } from "@/components/SessionProvider";
import { ErrorText } from "@/components/ErrorText";
import { OperationProgress } from "@/components/OperationProgress";
import { RequestSummary } from "@/components/guardian/RequestSummary";
import { Button, Card, Field, Notice, ui } from "@/components/ui";
import { useAccountState } from "@/hooks/useAccountState";
import { useAddressBook } from "@/hooks/useAddressBook";
import { useApproveFromAccount } from "@/hooks/useContractApproval";
import { useGuardedAccounts } from "@/hooks/useGuardedAccounts";
import { useOperation } from "@/hooks/useOperation";
import styles from "./GuardianDuties.module.css";

function GuardedRow({ account }: { account: Address }) {
  const state = useAccountState(account);
  const name = useAddressBook()(account).name;
  const s = state.data;
  return (
    <li className={styles.row} data-testid="guards-account">
      <strong>{name ?? "Unnamed account"}</strong> <code className={styles.address}>{account}</code>
      <span className={ui.hint}>
        {!s
          ? " Reading its state…"
          : s.recovery
            ? " A recovery of this account is pending."
            : s.locked
              ? " Locked by a guardian."
              : " No recovery pending."}
      </span>
    </li>
  );
}

/** Why this account cannot send its approval right now (owner UserOperations are paused), or undefined. */
function blockedReason(state: AccountState): string | undefined {
  if (state.recovering) return "This account cannot approve while a recovery of this account itself is pending.";
  if (state.locked) return "This account cannot approve while it is locked by one of its guardians.";
  return undefined;
}

function parseLink(text: string): { request?: ApprovalRequest; error?: unknown } {
  if (!text.trim()) return {};
  try {
    return { request: parseApprovalRequest(text) };
  } catch {
    return { error: "This is not a guardian link: paste the whole link the owner sent (it contains ?request=)." };
  }
}

/**
 * D3 for a Custos account that is itself a guardian (S14): the accounts it guards, and the approval of
 * a guardian link with one owner UserOperation calling the guarded account's `approveRecovery` /
 * `approveCancel`, which the requester's collector counts.
 */
export function GuardianDuties({ session, state }: { session: Session; state: AccountState }) {
  const account = session.backup.context.account;
  const guarded = useGuardedAccounts(account);
  const approve = useApproveFromAccount();
  const op = useOperation();
  const [link, setLink] = useState("");
  // a link opened as /dashboard?request=… (from the approval page) is filled in
  useEffect(() => {
    if (new URLSearchParams(window.location.search).has("request")) setLink(window.location.href);
  }, []);
  const { request, error } = useMemo(() => parseLink(link), [link]);
  const list = guarded.data ?? [];
  if (list.length === 0 && !link) return null;
  const guardsIt = !!request && list.some((g) => isAddressEqual(g.account, request.account));
  const blocked = blockedReason(state);
  const problem = !request
    ? undefined
    : request.chainId !== state.chainId
      ? `This link is for another chain (${request.chainId}); this wallet is on chain ${state.chainId}.`
      : request.kind === "Rotation"
        ? "A phrase replacement (rotation) is approved with signatures only: an account guardian cannot approve it. Ask the owner to use a recovery instead, or another guardian."
        : guarded.data && !guardsIt
          ? "This account is not a guardian of the account in the link."
          : undefined;
  const run = () =>
    op.run((progress) => approve({ request: request!, guardian: account, owner: session.owner }, progress));

  return (
    <Card aria-labelledby="guards-h" data-testid="guardian-duties">
      <h2 id="guards-h">Accounts this account guards</h2>
      {list.length > 0 ? (
        <ul className={ui.plain}>
          {list.map((g) => (
            <GuardedRow key={g.account} account={g.account} />
          ))}
        </ul>
      ) : (
        <p>This account guards no account on this chain.</p>
      )}
      <p className={ui.hint}>
        When one of these owners asks for your approval, paste their guardian link here: this account approves on-chain
        with one operation signed by your phrase (paid by this account).
      </p>
      <Field
        as="textarea"
        label="Guardian link"
        id="duty-link"
        value={link}
        onChange={(e) => {
          setLink(e.target.value);
          op.reset();
        }}
        placeholder="https://…/guardian/approve?request=…"
        error={error ? String(error) : undefined}
      />
      {request && (
        <div className={styles.request} data-testid="duty-request">
          <h3>What this account approves</h3>
          <RequestSummary request={request} />
          {problem && <Notice tone="error">{problem}</Notice>}
          {!problem && blocked && <Notice tone="warning">{blocked}</Notice>}
          {op.stage === "included" ? (
            <Notice tone="success" role="status" data-testid="duty-approved">
              Approved on-chain by this account. The owner&apos;s page counts your approval now.
            </Notice>
          ) : (
            <Button onClick={run} disabled={!!problem || !!blocked || op.busy || !guarded.data}>
              Approve with this account
            </Button>
          )}
          <OperationProgress stage={op.stage} error={op.error} />
        </div>
      )}
      <ErrorText error={guarded.error} />
    </Card>
  );
}
