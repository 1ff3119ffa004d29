import type { HTMLAttributes } from "react";
import { cx } from "./Button";
import ui from "./ui.module.css";

export type NoticeTone = "notice" | "warning" | "error" | "success";

/**
 * A message box: a note, a warning, an error or a success. Renders a <p> unless `block` asks for a
 * <div> (for content with paragraphs or buttons inside).
 */
export function Notice({
  tone = "notice",
  block = false,
  className,
  ...props
}: HTMLAttributes<HTMLElement> & { tone?: NoticeTone; block?: boolean }) {
  const Tag = block ? "div" : "p";
  return <Tag className={cx(ui[tone], className)} {...props} />;
}
