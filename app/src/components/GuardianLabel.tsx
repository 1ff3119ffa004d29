"use client";
import { useAddressBook } from "@/hooks/useAddressBook";
import { ui } from "@/components/ui";

/** An address with the name and contact note the user gave it (address book / recovery kit). */
export function GuardianLabel({ address }: { address: string }) {
  const lookUp = useAddressBook();
  const { name, note } = lookUp(address);
  return (
    <span data-testid="guardian-label">
      {name && <strong>{name} </strong>}
      <code>{address}</code>
      {note && <span className={ui.hint}> — {note}</span>}
    </span>
  );
}
