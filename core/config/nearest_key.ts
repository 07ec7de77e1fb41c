/**
 * "Did you mean …?" suggestions: the optimal-string-alignment (Damerau–Levenshtein) distance and
 * the nearest candidate key within a length-dependent distance.
 * @module
 */

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two adjacent
 * characters (optimal string alignment), so `tile_sise`→`tile_size` is 1 and `tiel`→`tile` is 1.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i][0] = i;
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The candidate closest to `word` (case-insensitive, `-` and `_` treated alike), or undefined when
 * none is close enough: at most max(2, ⌊length/3⌋) edits (1 for 3-letter words, 0 for
 * shorter ones), or one
 * contains the other.
 */
export function nearestKey(word: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replaceAll("-", "_");
  const w = norm(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = norm(candidate);
    let distance = editDistance(w, c);
    if (distance > 0 && Math.min(w.length, c.length) >= 4 && (c.includes(w) || w.includes(c))) {
      distance = Math.min(distance, 2);
    }
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = word.length <= 2
    ? 0
    : word.length === 3
    ? 1
    : Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}
