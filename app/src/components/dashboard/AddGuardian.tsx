"use client";
import { useState } from "react";
import { getAddress, isAddress } from "viem";
import { addGuardian, prepareRequestConfigChange, type AccountState, formatDuration } from "@custos";
import type { Session } from "@/components/SessionProvider";
import { useEnv } from "@/components/EnvProvider";
import { OperationProgress } from "@/components/OperationProgress";
import { saveAddressBookEntry } from "@/lib/addressBook";
import { useSendCalls } from "@/hooks/useCustosAccount";
import { useOperation } from "@/hooks/useOperation";
import { Button, Field, ui } from "@/components/ui";

/** Requests adding a guardian (confirmed later, inside the security window). */
export function AddGuardian({
  state,
  session,
  onChange,
}: {
  state: AccountState;
  session: Session;
  onChange: () => void;
}) {
  const { env, publicClient } = useEnv();
  const sendCalls = useSendCalls();
  const op = useOperation();
  const [address, setAddress] = useState("");
  const [name, setName] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError("");
    if (!isAddress(address.trim(), { strict: false })) {
      setError("This is not an Ethereum address (0x followed by 40 hex characters).");
      return;
    }
    const guardian = getAddress(address.trim());
    saveAddressBookEntry(guardian, { name, note });
    const receipt = await op.run(async (progress) => {
      const next = addGuardian(state.config, guardian);
      const call = await prepareRequestConfigChange(publicClient, {
        account: state.address,
        sender: session.owner.address,
        config: state.config,
        fromBlock: BigInt(env.deploymentBlock),
        next,
      });
      return sendCalls({ owner: session.owner, account: state.address, calls: [call] }, progress);
    });
    if (receipt) {
      setAddress("");
      onChange();
    }
  };
  return (
    <form className={ui.card} onSubmit={submit} noValidate aria-labelledby="addg-h">
      <h2 id="addg-h">Add a guardian</h2>
      <p className={ui.hint}>
        The change waits {formatDuration(state.config.securityPeriod)}, then you confirm it within{" "}
        {formatDuration(state.config.securityWindow)}.
      </p>
      <Field
        label="Guardian address"
        id="addg-address"
        value={address}
        spellCheck={false}
        placeholder="0x…"
        onChange={(e) => setAddress(e.target.value)}
        error={error}
      />
      <Field
        label="Guardian name"
        id="addg-name"
        value={name}
        maxLength={64}
        onChange={(e) => setName(e.target.value)}
      />
      <Field
        label="How to reach them (kept on this device)"
        id="addg-note"
        value={note}
        maxLength={200}
        onChange={(e) => setNote(e.target.value)}
      />
      <Button type="submit" disabled={op.busy}>
        Request adding this guardian
      </Button>
      <OperationProgress stage={op.stage} error={op.error} />
    </form>
  );
}
