"use client";
import { useId, useState } from "react";
import { isAddress, isAddressEqual, type Address } from "viem";
import type { KitDelays, KitGuardian } from "@custos/backup";
import { normalizeConfig } from "@custos";
import { useEnv } from "@/components/EnvProvider";
import { customDelays, DELAY_UNITS, delayPresets } from "@/lib/presets";
import { errorMessage } from "@/lib/errors";
import { Button, Choice, Field, Notice, ui } from "@/components/ui";

export interface GuardianChoice {
  guardians: KitGuardian[];
  threshold: number;
  delays: KitDelays;
}

/** Guardians (validated addresses, optional names), threshold and a recovery delay preset. */
export function GuardiansStep({ owner, onDone }: { owner: Address; onDone: (choice: GuardianChoice) => void }) {
  const { env } = useEnv();
  const presets = delayPresets(env);
  const [rows, setRows] = useState<{ address: string; name: string }[]>([{ address: "", name: "" }]);
  const [threshold, setThreshold] = useState(1);
  const [presetId, setPresetId] = useState(presets[0]!.id);
  const [error, setError] = useState("");
  const [customAmount, setCustomAmount] = useState("3");
  const [customUnit, setCustomUnit] = useState<keyof typeof DELAY_UNITS>("days");
  const id = useId();

  const rowError = (address: string): string => {
    const a = address.trim();
    if (!a) return "";
    if (!isAddress(a, { strict: false })) return "This is not an Ethereum address (0x followed by 40 hex characters).";
    if (isAddressEqual(a as Address, owner)) return "Your own signer cannot be your guardian.";
    return "";
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const filled = rows.filter((r) => r.address.trim());
    if (filled.length === 0) return setError("Add at least one guardian.");
    const bad = filled.find((r) => rowError(r.address));
    if (bad) return setError(rowError(bad.address));
    let delays: KitDelays;
    try {
      delays =
        presetId === "custom"
          ? customDelays(env, Math.round(Number(customAmount.replace(",", ".")) * DELAY_UNITS[customUnit]))
          : presets.find((p) => p.id === presetId)!.delays;
      normalizeConfig({ guardians: filled.map((r) => r.address.trim()), threshold, ...delays });
    } catch (err) {
      return setError(errorMessage(err));
    }
    const n = Math.min(threshold, filled.length);
    onDone({
      guardians: filled.map((r) => ({
        address: r.address.trim() as Address,
        ...(r.name.trim() ? { name: r.name.trim() } : {}),
      })),
      threshold: n,
      delays,
    });
  };

  return (
    <form className={ui.card} onSubmit={submit} aria-labelledby={`${id}-h`} noValidate>
      <h2 id={`${id}-h`}>Choose your guardians</h2>
      <p>
        Guardians are people or wallets you trust. If you ever lose your recovery phrase, enough of them together can
        move your account to a new phrase. They can never take your funds on their own.
      </p>
      {rows.map((row, i) => {
        const msg = rowError(row.address);
        return (
          <fieldset key={i} className={ui.card}>
            <legend>Guardian {i + 1}</legend>
            <Field
              label="Address"
              id={`${id}-a${i}`}
              value={row.address}
              placeholder="0x…"
              spellCheck={false}
              error={msg}
              onChange={(e) => setRows((r) => r.map((x, j) => (j === i ? { ...x, address: e.target.value } : x)))}
            />
            <Field
              label="Name (optional, kept in your recovery kit)"
              id={`${id}-n${i}`}
              value={row.name}
              maxLength={64}
              onChange={(e) => setRows((r) => r.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
            />
            {rows.length > 1 && (
              <Button variant="secondary" onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
                Remove guardian {i + 1}
              </Button>
            )}
          </fieldset>
        );
      })}
      <Button variant="secondary" onClick={() => setRows((r) => [...r, { address: "", name: "" }])}>
        Add another guardian
      </Button>
      <Field
        as="select"
        label="How many guardians must approve a recovery?"
        id={`${id}-t`}
        value={threshold}
        onChange={(e) => setThreshold(Number(e.target.value))}
        hint="More approvals are safer against a guardian gone rogue; fewer are easier to gather."
      >
        {rows.map((_, i) => (
          <option key={i} value={i + 1}>
            {i + 1} of {rows.length}
          </option>
        ))}
      </Field>
      <Choice legend="Recovery delay">
        {presets.map((p) => (
          <div key={p.id}>
            <label>
              <input
                type="radio"
                name="preset"
                value={p.id}
                checked={presetId === p.id}
                onChange={() => setPresetId(p.id)}
                aria-describedby={`${id}-p-${p.id}`}
              />
              {p.title}
            </label>
            <p className={ui.hint} id={`${id}-p-${p.id}`}>
              {p.explain}
            </p>
          </div>
        ))}
        <div>
          <label>
            <input
              type="radio"
              name="preset"
              value="custom"
              checked={presetId === "custom"}
              onChange={() => setPresetId("custom")}
            />
            Custom
          </label>
          {presetId === "custom" && (
            <div className={ui.row}>
              <label htmlFor={`${id}-cd`} className={ui.srOnly}>
                Custom recovery delay
              </label>
              <input
                id={`${id}-cd`}
                inputMode="decimal"
                value={customAmount}
                onChange={(e) => setCustomAmount(e.target.value)}
                className={ui.short}
              />
              <label htmlFor={`${id}-cu`} className={ui.srOnly}>
                Unit
              </label>
              <select
                id={`${id}-cu`}
                value={customUnit}
                className={ui.short}
                onChange={(e) => setCustomUnit(e.target.value as keyof typeof DELAY_UNITS)}
              >
                {Object.keys(DELAY_UNITS).map((u) => (
                  <option key={u} value={u}>
                    {u}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      </Choice>
      {error && (
        <Notice tone="error" role="alert">
          {error}
        </Notice>
      )}
      <Button type="submit">Continue</Button>
    </form>
  );
}
