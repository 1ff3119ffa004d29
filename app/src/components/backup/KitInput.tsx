"use client";
import { useId } from "react";
import { Field } from "@/components/ui";

/** Picks a recovery kit file (or takes pasted text). */
export function KitInput({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const id = useId();
  return (
    <div>
      <Field
        label="Recovery kit file"
        id={`${id}-f`}
        type="file"
        accept=".json,application/json"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (file) onChange(await file.text());
        }}
      />
      <Field
        as="textarea"
        label="…or paste its contents"
        id={`${id}-t`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
