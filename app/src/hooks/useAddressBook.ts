"use client";
import { useSyncExternalStore } from "react";
import { useSession } from "@/components/SessionProvider";
import { readAddressBook, serverAddressBook, subscribeAddressBook, type AddressBookEntry } from "@/lib/addressBook";

/** Name and contact note of an address: the device's address book first, then the names in the kit. */
export function useAddressBook(): (address: string) => AddressBookEntry {
  const book = useSyncExternalStore(subscribeAddressBook, readAddressBook, serverAddressBook);
  const { session } = useSession();
  const kit = session?.backup.context.guardians ?? [];
  return (address: string) => {
    const own = book[address.toLowerCase()] ?? {};
    const fromKit = kit.find((g) => g.address.toLowerCase() === address.toLowerCase())?.name;
    return { name: own.name ?? fromKit, note: own.note };
  };
}
