import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { cx } from "./Button";
import ui from "./ui.module.css";
import styles from "./Field.module.css";

interface FieldFrame {
  /** The visible label, tied to the control by id. */
  label: ReactNode;
  /** Help under the control, read out with it (aria-describedby). */
  hint?: ReactNode;
  /** Announce hint changes (a strength meter that updates while typing). */
  liveHint?: boolean;
  /** What is wrong with the value, in words: marks the control aria-invalid and describes it. */
  error?: ReactNode;
  /** Class of the wrapping element. */
  className?: string;
}
type InputField = FieldFrame & { as?: "input" } & Omit<InputHTMLAttributes<HTMLInputElement>, "className">;
type TextareaField = FieldFrame & { as: "textarea" } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "className">;
type SelectField = FieldFrame & { as: "select" } & Omit<SelectHTMLAttributes<HTMLSelectElement>, "className">;
export type FieldProps = InputField | TextareaField | SelectField;

/**
 * One labelled form control: label, input (or textarea or select), hint and error. The hint and the
 * error describe the control (aria-describedby); an error also marks it aria-invalid and is announced.
 */
export function Field(props: FieldProps) {
  const { label, hint, liveHint, error, className, ...control } = props;
  const ownId = useId();
  const id = control.id ?? ownId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasError = error !== undefined && error !== null && error !== false && error !== "";
  const describedBy = cx(control["aria-describedby"], hint !== undefined && hintId, hasError && errorId) || undefined;
  const shared = { id, "aria-describedby": describedBy, "aria-invalid": hasError ? true : control["aria-invalid"] };
  return (
    <div className={cx(styles.field, className)}>
      <label htmlFor={id}>{label}</label>
      {control.as === "textarea" ? (
        <textarea {...withoutAs(control)} {...shared} />
      ) : control.as === "select" ? (
        <select {...withoutAs(control)} {...shared} />
      ) : (
        <input {...withoutAs(control)} {...shared} />
      )}
      {hint !== undefined && (
        <div id={hintId} className={ui.hint} aria-live={liveHint ? "polite" : undefined}>
          {hint}
        </div>
      )}
      {hasError && (
        <p id={errorId} className={ui.error} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function withoutAs<T extends { as?: unknown }>(control: T): Omit<T, "as"> {
  const { as: _as, ...rest } = control;
  void _as;
  return rest;
}
