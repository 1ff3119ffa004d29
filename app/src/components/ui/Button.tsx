import Link from "next/link";
import type { ButtonHTMLAttributes, ComponentProps } from "react";
import ui from "./ui.module.css";

export type ButtonVariant = "primary" | "secondary" | "danger";

const VARIANT: Record<ButtonVariant, string | undefined> = {
  primary: undefined,
  secondary: ui.secondary,
  danger: ui.danger,
};

/** Joins class names, skipping the empty ones. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}

/**
 * A button in one of the three looks (every button of the dApp is one: a bare <button> has no look);
 * `type` defaults to "button" so it never submits a form by accident.
 */
export function Button({
  variant = "primary",
  className,
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button type={type} className={cx(ui.button, VARIANT[variant], className)} {...props} />;
}

/** A link that looks like a button (a step to another page). */
export function ButtonLink({
  variant = "primary",
  className,
  ...props
}: ComponentProps<typeof Link> & { variant?: ButtonVariant }) {
  return <Link className={cx(ui.button, VARIANT[variant], className)} {...props} />;
}
