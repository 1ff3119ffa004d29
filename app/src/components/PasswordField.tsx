"use client";
import { useEffect, useRef, useState } from "react";
import type { PasswordStrength } from "@custos/backup";
import { loadPasswordStrength } from "@/lib/lazyBackup";
import { Field } from "@/components/ui";
import styles from "./PasswordField.module.css";

const LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"];
/** Mirrors MIN_PASSWORD_LENGTH of custos/backup/password (kept literal so the page does not load zxcvbn). */
const MIN_LENGTH = 12;

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
  const [strength, setStrength] = useState<PasswordStrength>();
  const latest = useRef(value);
  const report = useRef(onChange);
  report.current = onChange;
  useEffect(() => {
    latest.current = value;
    if (!value) {
      setStrength(undefined);
      return;
    }
    let live = true;
    loadPasswordStrength().then((m) => {
      if (!live || latest.current !== value) return;
      const s = m.backupPasswordStrength(value);
      setStrength(s);
      report.current(value, s.acceptable);
    });
    return () => {
      live = false;
    };
  }, [value]);
  return (
    <Field
      label={label}
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={(e) => onChange(e.target.value, false)}
      liveHint
      hint={
        <>
          <div className={styles.meter} aria-hidden="true">
            <div style={{ width: `${((strength?.score ?? 0) + (value ? 1 : 0)) * 20}%` }} />
          </div>
          {strength && value
            ? [
                `${LABELS[strength.score]}.`,
                strength.acceptable
                  ? "Good enough."
                  : strength.warning || `Use at least ${MIN_LENGTH} characters that are hard to guess.`,
                ...strength.suggestions,
              ]
                .map(sentence)
                .join(" ")
            : (hint ?? `At least ${MIN_LENGTH} characters; a few unrelated words work well.`)}
        </>
      }
    />
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
  return (
    <Field
      label={label}
      type="password"
      autoComplete={autoComplete}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** "use a few words" → "Use a few words." (the strength checker's hints come in lower case). */
function sentence(text: string): string {
  const t = text.trim();
  return t ? `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? "" : "."}` : t;
}
