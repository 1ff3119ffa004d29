"use client";
import { useState } from "react";
import { isAddress, parseEther, type Address } from "viem";
import type { Session } from "@/components/SessionProvider";
import { OperationProgress } from "@/components/OperationProgress";
import { useOperation } from "@/hooks/useOperation";
import { useSendCalls } from "@/hooks/useCustosAccount";

export function SendEth({ session, onSent }: { session: Session; onSent: () => void }) {
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [inputError, setInputError] = useState("");
  const sendCalls = useSendCalls();
  const op = useOperation();
  const send = async (e: React.FormEvent) => {
    e.preventDefault();
    setInputError("");
    if (!isAddress(to.trim(), { strict: false })) return setInputError("The recipient is not an Ethereum address.");
    let value: bigint;
    try {
      value = parseEther(amount.trim());
    } catch {
      return setInputError("The amount is not a number of ETH (for example 0.05).");
    }
    if (value <= 0n) return setInputError("The amount must be more than zero.");
    const receipt = await op.run((p) =>
      sendCalls(
        { owner: session.owner, account: session.backup.context.account, calls: [{ to: to.trim() as Address, value }] },
        p,
      ),
    );
    if (receipt) onSent();
  };
  return (
    <form className="card" onSubmit={send} noValidate aria-labelledby="send-h">
      <h2 id="send-h">Send ETH</h2>
      <label htmlFor="send-to">Recipient address</label>
      <input id="send-to" value={to} spellCheck={false} onChange={(e) => setTo(e.target.value)} placeholder="0x…" />
      <label htmlFor="send-amount">Amount (ETH)</label>
      <input
        id="send-amount"
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        placeholder="0.1"
      />
      {inputError && (
        <p className="error" role="alert">
          {inputError}
        </p>
      )}
      <button type="submit" disabled={op.busy}>
        Send
      </button>
      <OperationProgress stage={op.stage} error={op.error} />
    </form>
  );
}
