/**
 * "Did you mean": the closest of the known spellings to a typed value, or nothing when none is
 * close. Used for cohort ids, learning paths and field names in roster errors.
 */

/**
 * Edits (insert, delete, substitute, swap two neighbours) between a and b: the Damerau–Levenshtein
 * distance in its "optimal string alignment" form, which counts a swapped pair ("teh") as one typo.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** How many typos still make a plausible match: one in a short word ("web"), two in a longer one. */
function tolerance(value: string): number {
  return value.length <= 4 ? 1 : 2;
}

/**
 * The known value `typed` most likely meant: equal apart from case and surrounding spaces, else
 * the nearest within the tolerance (the first listed on a tie), else undefined.
 */
export function closestMatch(typed: string, known: readonly string[]): string | undefined {
  const norm = typed.trim().toLowerCase();
  const same = known.find((k) => k.toLowerCase() === norm);
  if (same !== undefined) return same === typed ? undefined : same;
  let best: string | undefined;
  let bestDistance = tolerance(norm) + 1;
  for (const k of known) {
    // Lengths further apart than the tolerance cannot match: skip the table (and a huge value's cost).
    if (Math.abs(k.length - norm.length) >= bestDistance) continue;
    const distance = editDistance(norm, k.toLowerCase());
    if (distance < bestDistance) {
      best = k;
      bestDistance = distance;
    }
  }
  return best;
}
