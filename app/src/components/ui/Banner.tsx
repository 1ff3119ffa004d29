import type { HTMLAttributes } from "react";
import { cx } from "./Button";
import ui from "./ui.module.css";

export type BannerTone = "danger" | "lock" | "info";

const TONE: Record<BannerTone, string | undefined> = { danger: undefined, lock: ui.lock, info: ui.info };

/** A dark strip above the cards for what needs the owner's attention now (a recovery, a lock). */
export function Banner({ tone = "danger", className, ...props }: HTMLAttributes<HTMLElement> & { tone?: BannerTone }) {
  return <section className={cx(ui.banner, TONE[tone], className)} {...props} />;
}
