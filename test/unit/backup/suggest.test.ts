import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { editDistance, suggestWords } from "../../../custos/backup/index.js";

describe("did-you-mean suggestions", () => {
  it("computes Levenshtein distances", () => {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("same", "same"), 0);
  });

  it("counts a swap of two neighbouring letters as one edit", () => {
    assert.equal(editDistance("wrold", "world"), 1);
  });

  it("suggests the nearest list words for a typo", () => {
    assert.deepEqual(suggestWords("wrold", wordlist), ["world"]);
    assert.ok(suggestWords("zoi", wordlist).includes("zoo"));
  });

  it("suggests nothing for a word far from every list word", () => {
    assert.deepEqual(suggestWords("qqqqqqqqqq", wordlist), []);
  });
});
