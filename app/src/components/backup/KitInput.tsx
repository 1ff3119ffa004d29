"use client";
import { useId } from "react";

/** Picks a recovery kit file (or takes pasted text). */
export function KitInput({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={`${id}-f`}>Recovery kit file</label>
      <input
        id={`${id}-f`}
        type="file"
        accept=".json,application/json"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (file) onChange(await file.text());
        }}
      />
      <label htmlFor={`${id}-t`}>…or paste its contents</label>
      <textarea id={`${id}-t`} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
