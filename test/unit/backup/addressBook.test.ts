import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MAX_CONTACT_LENGTH,
  addressBookFromKit,
  toKitContact,
  withAddressBook,
  type AddressBookNote,
  type KitGuardian,
} from "../../../custos/backup/index.js";

const A = "0x3333333333333333333333333333333333333333";
const B = "0x7777777777777777777777777777777777777777";
const C = "0x8888888888888888888888888888888888888888";

const book =
  (entries: Record<string, AddressBookNote>) =>
  (address: string): AddressBookNote | undefined =>
    entries[address.toLowerCase()];

describe("guardian address book ↔ recovery kit", () => {
  it("a device note becomes a one-line kit contact of at most 200 characters", () => {
    assert.equal(toKitContact(undefined), undefined);
    assert.equal(toKitContact("  \n "), undefined);
    assert.equal(toKitContact(" call\nafter 6 pm "), "call after 6 pm");
    const clipped = toKitContact("☎".repeat(280))!;
    assert.equal([...clipped].length, MAX_CONTACT_LENGTH);
  });

  it("writing a kit: the device's names and notes are folded into the guardian list, the device wins", () => {
    const guardians: KitGuardian[] = [{ address: A, name: "Old name" }, { address: B }, { address: C, name: "Carol" }];
    const merged = withAddressBook(
      guardians,
      book({ [A.toLowerCase()]: { name: "Alice", note: "alice@example.org" }, [B.toLowerCase()]: { note: "+41 79" } }),
    );
    assert.deepEqual(merged, [
      { address: A, name: "Alice", contact: "alice@example.org" },
      { address: B, contact: "+41 79" },
      { address: C, name: "Carol" },
    ]);
  });

  it("restoring a kit: entries missing on the device are added, what the device has is kept", () => {
    const guardians: KitGuardian[] = [
      { address: A, name: "Alice", contact: "alice@example.org" },
      { address: B, contact: "+41 79" },
      { address: C },
    ];
    const entries = addressBookFromKit(guardians, book({ [B.toLowerCase()]: { name: "Bob", note: "newer note" } }));
    assert.deepEqual(entries, [{ address: A, entry: { name: "Alice", note: "alice@example.org" } }]);
    assert.deepEqual(addressBookFromKit(guardians, book({})), [
      { address: A, entry: { name: "Alice", note: "alice@example.org" } },
      { address: B, entry: { name: undefined, note: "+41 79" } },
    ]);
  });
});
