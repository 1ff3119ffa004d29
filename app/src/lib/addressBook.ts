/**
 * The guardian address book on this device: a name and a contact note per address (localStorage).
 * Names and contact notes also travel in the recovery kit (format version 2, custos/backup).
 */
const KEY = "custos.addressbook.v1";
const EVENT = "custos-addressbook";

export interface AddressBookEntry {
  name?: string;
  note?: string;
}

export type AddressBook = Record<string, AddressBookEntry>;

const EMPTY: AddressBook = {};
let cachedRaw: string | null = null;
let cachedBook: AddressBook = EMPTY;

export function readAddressBook(): AddressBook {
  if (typeof window === "undefined") return EMPTY;
  const raw = window.localStorage.getItem(KEY);
  if (raw === cachedRaw) return cachedBook;
  cachedRaw = raw;
  try {
    cachedBook = raw ? (JSON.parse(raw) as AddressBook) : EMPTY;
  } catch {
    cachedBook = EMPTY;
  }
  return cachedBook;
}

export function serverAddressBook(): AddressBook {
  return EMPTY;
}

export function saveAddressBookEntry(address: string, entry: AddressBookEntry): void {
  const book = { ...readAddressBook() };
  const name = entry.name?.trim().slice(0, 64) || undefined;
  const note = entry.note?.trim().slice(0, 200) || undefined;
  if (name || note) book[address.toLowerCase()] = { name, note };
  else delete book[address.toLowerCase()];
  window.localStorage.setItem(KEY, JSON.stringify(book));
  window.dispatchEvent(new Event(EVENT));
}

export function subscribeAddressBook(onChange: () => void): () => void {
  window.addEventListener(EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}
