import type { ReactNode } from "react";
import ui from "./ui.module.css";

/** A group of radio buttons or checkboxes, each beside its label (a <label> with its <input> inside). */
export function Choice({ legend, children }: { legend: ReactNode; children: ReactNode }) {
  return (
    <fieldset className={ui.choice}>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}
