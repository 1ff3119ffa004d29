import { MAX_CONTACT_LENGTH, type KitGuardian } from "./context.js";

/** What an address book on a device knows about an address: a name and a free-text contact note. */
export interface AddressBookNote {
  name?: string;
  note?: string;
}

/** A device note as a kit contact: one line, at most MAX_CONTACT_LENGTH characters, or nothing when blank. */
export function toKitContact(note: string | undefined): string | undefined {
  if (note === undefined) return undefined;
  const line = [...note.replace(/\p{Cc}+/gu, " ").trim()].slice(0, MAX_CONTACT_LENGTH).join("").trim();
  return line === "" ? undefined : line;
}

/**
 * The kit's guardian list with the device's address book folded in (the device wins: it holds the
 * user's latest edits). Guardians the book does not know keep what the kit had.
 */
export function withAddressBook(
  guardians: readonly KitGuardian[],
  lookUp: (address: string) => AddressBookNote | undefined,
): KitGuardian[] {
  return guardians.map((g) => {
    const own = lookUp(g.address) ?? {};
    const name = own.name?.trim() || g.name;
    const contact = toKitContact(own.note) ?? g.contact;
    return {
      address: g.address,
      ...(name === undefined ? {} : { name }),
      ...(contact === undefined ? {} : { contact }),
    };
  });
}

/**
 * The address-book entries a restored kit adds on a device: for each guardian with a name or
 * contact, the device's own entry completed with the kit's (what the device already has is kept).
 * Guardians that would not change the book are left out.
 */
export function addressBookFromKit(
  guardians: readonly KitGuardian[],
  lookUp: (address: string) => AddressBookNote | undefined,
): { address: string; entry: AddressBookNote }[] {
  return guardians.flatMap((g) => {
    const own = lookUp(g.address) ?? {};
    const entry: AddressBookNote = { name: own.name || g.name, note: own.note || g.contact };
    return entry.name === own.name && entry.note === own.note ? [] : [{ address: g.address, entry }];
  });
}
