/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Up to `max` list words closest to a mistyped word. BIP39 words are unique by their first four
 * letters, so a word sharing those is the single suggestion; otherwise the nearest by edit
 * distance (at most 2 edits), ties in list order.
 */
export function suggestWords(word: string, list: readonly string[], max = 3): string[] {
  if (word.length >= 4) {
    const byPrefix = list.find((w) => w.startsWith(word.slice(0, 4)));
    if (byPrefix) return [byPrefix];
  }
  const scored = list.map((w) => ({ w, d: editDistance(word, w) })).filter(({ d }) => d <= 2);
  const best = Math.min(...scored.map(({ d }) => d));
  return scored
    .filter(({ d }) => d === best)
    .slice(0, max)
    .map(({ w }) => w);
}
