import type { HTMLAttributes } from "react";
import { cx } from "./Button";
import ui from "./ui.module.css";

/** A white card: the one container of the dApp's pages (a form card uses `ui.card` on its <form>). */
export function Card({ className, ...props }: HTMLAttributes<HTMLElement>) {
  return <section className={cx(ui.card, className)} {...props} />;
}
