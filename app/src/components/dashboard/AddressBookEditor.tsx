"use client";
import { useId, useState } from "react";
import { saveAddressBookEntry } from "@/lib/addressBook";
import { useAddressBook } from "@/hooks/useAddressBook";

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
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
        <label htmlFor={`${id}-note`}>How to reach them</label>
        <input id={`${id}-note`} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" className="secondary">
          Save on this device
        </button>
        {saved && (
          <span role="status" className="hint">
            {" "}
            Saved.
          </span>
        )}
      </form>
    </details>
  );
}
