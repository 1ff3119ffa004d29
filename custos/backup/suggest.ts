/**
 * Edit distance for typing mistakes: insert, delete, substitute, or swap two neighbouring letters,
 * each costing 1 (optimal string alignment distance).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
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
