"use client";
import { useId, useState } from "react";
import { saveAddressBookEntry } from "@/lib/addressBook";
import { useAddressBook } from "@/hooks/useAddressBook";
import { Button, Field, ui } from "@/components/ui";

/** Edits the name and contact note of one guardian, kept on this device. */
export function AddressBookEditor({
  address,
  summary = "Name and contact note",
}: {
  address: string;
  summary?: string;
}) {
  const lookUp = useAddressBook();
  const current = lookUp(address);
  const id = useId();
  const [name, setName] = useState(current.name ?? "");
  const [note, setNote] = useState(current.note ?? "");
  const [saved, setSaved] = useState(false);
  return (
    <details>
      <summary>{summary}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          saveAddressBookEntry(address, { name, note });
          setSaved(true);
        }}
      >
        <Field label="Name" id={`${id}-name`} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
        <Field
          label="How to reach them"
          id={`${id}-note`}
          value={note}
          maxLength={200}
          onChange={(e) => setNote(e.target.value)}
        />
        <Button type="submit" variant="secondary">
          Save on this device
        </Button>
        {saved && (
          <span role="status" className={ui.hint}>
            {" "}
            Saved.
          </span>
        )}
      </form>
    </details>
  );
}
