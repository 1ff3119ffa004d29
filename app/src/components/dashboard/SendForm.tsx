"use client";
import { useState } from "react";
import type { UserOperationReceipt } from "viem/account-abstraction";
import { formatUnits, getAddress, isAddress, parseUnits, type Address } from "viem";
import { tokenTransferCall, type TokenBalance, type AccountState, formatDuration } from "@custos";
import type { Session } from "@/components/SessionProvider";
import { OperationProgress } from "@/components/OperationProgress";
import { ErrorText } from "@/components/ErrorText";
import { GuardianLabel } from "@/components/GuardianLabel";
import { useOperation } from "@/hooks/useOperation";
import { useEstimateFee, useSendCalls, type Call } from "@/hooks/useCustosAccount";
import { formatEthShort } from "@/lib/formatEth";
import { recordSend } from "@/lib/sends";
import { Button, Card, Field, Notice, ui } from "@/components/ui";
import styles from "./SendForm.module.css";

const ETH = "ETH";

interface Draft {
  asset: typeof ETH | Address;
  symbol: string;
  to: Address;
  amount: string;
  value: bigint;
  call: Call;
  fee: bigint;
}

/** Why sending is not possible right now, in plain words (undefined when it is). */
export function sendBlockedReason(state: AccountState): string | undefined {
  if (state.recovering)
    return "Sending is paused while a recovery of this account is pending: cancel it or let it finish first.";
  if (state.locked)
    return `Sending is paused: a guardian locked this account. The lock ends in ${formatDuration(state.lockSecondsLeft)}, or when a guardian unlocks it.`;
  return undefined;
}

/**
 * Send ETH or a token the account holds (D2): fill in → review (recipient, amount, the fee estimate) →
 * send through the bundler → the transaction hash, a reset form, and the send in Activity.
 */
export function SendForm({
  session,
  state,
  tokens,
  onSent,
}: {
  session: Session;
  state: AccountState;
  tokens: TokenBalance[];
  onSent: () => void;
}) {
  const account = session.backup.context.account;
  const [asset, setAsset] = useState<string>(ETH);
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [inputError, setInputError] = useState<unknown>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [sent, setSent] = useState<{ hash: string; text: string } | null>(null);
  const sendCalls = useSendCalls();
  const estimateFee = useEstimateFee();
  const op = useOperation<UserOperationReceipt>();
  const blocked = sendBlockedReason(state);
  const token = tokens.find((t) => t.token === asset);
  const decimals = token ? token.decimals : 18;
  const symbol = token ? token.symbol : ETH;
  const available = token ? token.balance : state.balance;

  const review = async (e: React.FormEvent) => {
    e.preventDefault();
    setInputError(null);
    setSent(null);
    op.reset();
    if (!isAddress(to.trim(), { strict: false })) return setInputError("The recipient is not an Ethereum address.");
    let value: bigint;
    try {
      value = parseUnits(amount.trim().replace(",", "."), decimals);
    } catch {
      return setInputError(`The amount is not a number of ${symbol} (for example 0.05).`);
    }
    if (value <= 0n) return setInputError("The amount must be more than zero.");
    if (value > available) {
      return setInputError(
        `The account holds less than you are sending: ${formatUnits(available, decimals)} ${symbol} available.`,
      );
    }
    const recipient = getAddress(to.trim());
    const call: Call = token ? tokenTransferCall(token.token, recipient, value) : { to: recipient, value };
    setReviewing(true);
    try {
      const fee = await estimateFee({ owner: session.owner, account, calls: [call] });
      const ethNeeded = fee + (token ? 0n : value);
      if (ethNeeded > state.balance) {
        return setInputError(
          `The account holds less than you are sending plus the fee: ${formatEthShort(state.balance)} ETH available, up to ${formatEthShort(ethNeeded)} ETH needed.`,
        );
      }
      setDraft({ asset: token ? token.token : ETH, symbol, to: recipient, amount: amount.trim(), value, call, fee });
    } catch (err) {
      setInputError(err);
    } finally {
      setReviewing(false);
    }
  };

  const confirm = async () => {
    if (!draft) return;
    const receipt = await op.run((p) => sendCalls({ owner: session.owner, account, calls: [draft.call] }, p));
    if (!receipt) return;
    const hash = receipt.receipt.transactionHash;
    recordSend({
      account,
      to: draft.to,
      amount: draft.amount,
      symbol: draft.symbol,
      transactionHash: hash,
      userOpHash: receipt.userOpHash,
      timestamp: Number(state.now),
    });
    setSent({ hash, text: `Sent ${draft.amount} ${draft.symbol}.` });
    setDraft(null);
    setTo("");
    setAmount("");
    onSent();
  };

  return (
    <Card aria-labelledby="send-h">
      <h2 id="send-h">Send</h2>
      {blocked && <Notice data-testid="send-blocked">{blocked}</Notice>}
      {!draft ? (
        <form onSubmit={review} noValidate aria-label="Send">
          <Field
            as="select"
            label="Asset"
            id="send-asset"
            value={asset}
            onChange={(e) => setAsset(e.target.value)}
            disabled={!!blocked}
          >
            <option value={ETH}>ETH — {formatEthShort(state.balance)} available</option>
            {tokens.map((t) => (
              <option key={t.token} value={t.token}>
                {t.symbol} — {formatUnits(t.balance, t.decimals)} available
              </option>
            ))}
          </Field>
          <Field
            label="Recipient address"
            id="send-to"
            value={to}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setTo(e.target.value)}
            placeholder="0x…"
            disabled={!!blocked}
          />
          <Field
            label={`Amount (${symbol})`}
            id="send-amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder="0.1"
            disabled={!!blocked}
          />
          <ErrorText error={inputError} />
          <Button type="submit" disabled={!!blocked || reviewing}>
            {reviewing ? "Estimating the fee…" : "Review"}
          </Button>
        </form>
      ) : (
        <div className={styles.review} data-testid="send-review">
          <h3>Check before sending</h3>
          <dl>
            <dt>Send</dt>
            <dd data-testid="review-amount">
              {draft.amount} {draft.symbol}
            </dd>
            <dt>To</dt>
            <dd>
              <GuardianLabel address={draft.to} />
            </dd>
            <dt>Network fee</dt>
            <dd data-testid="review-fee">up to {formatEthShort(draft.fee)} ETH, paid by the account</dd>
            {draft.asset === ETH && (
              <>
                <dt>Total</dt>
                <dd>up to {formatEthShort(draft.value + draft.fee)} ETH</dd>
              </>
            )}
          </dl>
          <div className={ui.actions}>
            <Button onClick={confirm} disabled={op.busy || !!blocked}>
              Confirm and send
            </Button>
            <Button variant="secondary" onClick={() => setDraft(null)} disabled={op.busy}>
              Edit
            </Button>
          </div>
        </div>
      )}
      <OperationProgress stage={op.stage} error={op.error} />
      {sent && (
        <Notice tone="success" role="status" data-testid="send-done">
          {sent.text} Transaction <span className={ui.mono}>{sent.hash}</span>
        </Notice>
      )}
    </Card>
  );
}
