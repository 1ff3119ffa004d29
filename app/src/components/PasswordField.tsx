"use client";
import { useId, useMemo } from "react";
import { backupPasswordStrength, MIN_PASSWORD_LENGTH } from "../../../custos/backup/password";

const LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"];

/** A new password with a strength meter (B2); `onChange` reports whether it is acceptable. */
export function NewPasswordField({
  label,
  value,
  onChange,
  hint,
}: {
  label: string;
  value: string;
  onChange: (value: string, acceptable: boolean) => void;
  hint?: string;
}) {
  const id = useId();
  const strength = useMemo(() => (value ? backupPasswordStrength(value) : undefined), [value]);
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        value={value}
        aria-describedby={`${id}-meter`}
        onChange={(e) => onChange(e.target.value, backupPasswordStrength(e.target.value).acceptable)}
      />
      <div id={`${id}-meter`} aria-live="polite">
        <div className="meter" aria-hidden="true">
          <div style={{ width: `${((strength?.score ?? 0) + (value ? 1 : 0)) * 20}%` }} />
        </div>
        <p className="hint">
          {strength
            ? `${LABELS[strength.score]}. ${strength.acceptable ? "Good enough." : strength.warning || `Use at least ${MIN_PASSWORD_LENGTH} characters that are hard to guess.`} ${strength.suggestions.join(" ")}`
            : (hint ?? `At least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words work well.`)}
        </p>
      </div>
    </div>
  );
}

export function PasswordField({
  label,
  value,
  onChange,
  autoComplete = "current-password",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete?: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
