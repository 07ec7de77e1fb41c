/**
 * Quantiles exactly as numpy's `np.quantile(a, q)` default ("linear" method, including numpy's
 * two-sided lerp), and the percentile normalisation scPortrait applies to each channel.
 * @module
 */

/** numpy `_lerp(a, b, t)`: `a + (b-a)·t`, or `b - (b-a)·(1-t)` when t ≥ 0.5. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `np.quantile` of a sorted array (ascending), linear method. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  const prev = Math.floor(virtual);
  const next = Math.min(prev + 1, n - 1);
  return lerp(sorted[prev], sorted[next], virtual - prev);
}

/**
 * `np.quantile` of a multiset made of `zeros` zeros and the positive values `positives` (sorted
 * ascending in place here). This is the masked window: everything outside the cell is 0.
 */
export function quantileWithZeros(positives: Float64Array, zeros: number, q: number): number {
  const n = positives.length + zeros;
  const virtual = (n - 1) * q;
  const prev = Math.floor(virtual);
  const next = Math.min(prev + 1, n - 1);
  const at = (i: number) => (i < zeros ? 0 : positives[i - zeros]);
  return lerp(at(prev), at(next), virtual - prev);
}

/** scPortrait `_normalize_image`: (v − lo) / (hi − lo) unless hi == lo, clipped to [0, 1]. */
export function normalizeValue(v: number, lo: number, hi: number): number {
  const ipr = hi - lo;
  let out = v - lo;
  if (ipr !== 0) out = out / ipr;
  return out < 0 ? 0 : out > 1 ? 1 : out;
}

/**
 * How many of the largest of `n` values decide `np.quantile(q)` (linear): the ranks
 * floor((n−1)·q) and the one above it, counted from the top.
 */
export function upperRankCount(n: number, q: number): number {
  return n - Math.floor((n - 1) * q);
}

/**
 * `np.quantile` (linear) of `n` values from their {@link upperRankCount} largest, held ascending in
 * `top`: the same value as sorting all of them.
 */
export function quantileFromTop(top: Float64Array, n: number, q: number): number {
  const virtual = (n - 1) * q;
  const prev = Math.floor(virtual);
  const next = Math.min(prev + 1, n - 1);
  return lerp(top[0], next === prev ? top[0] : top[1], virtual - prev);
}

/** Moves the `k`-th smallest of `a[lo..hi)` to index k (quickselect, median of three); in place. */
export function selectKth(a: Float64Array, lo: number, hi: number, k: number): number {
  let l = lo, r = hi - 1;
  while (r > l) {
    const m = (l + r) >> 1;
    // median of three into a[m]
    if (a[m] < a[l]) swap(a, m, l);
    if (a[r] < a[l]) swap(a, r, l);
    if (a[r] < a[m]) swap(a, r, m);
    const pivot = a[m];
    let i = l, j = r;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Largest rank distance from the top handled by {@link topValues}. */
const TOP = 64;
const topScratch = new Float64Array(TOP);

/** The `t` (≤ {@link TOP}) largest of `a[0..count)`, ascending, in a shared scratch array. */
function topValues(a: Float64Array, count: number, t: number): Float64Array {
  const top = topScratch;
  for (let i = 0; i < t; i++) {
    const v = a[i];
    let j = i;
    while (j > 0 && top[j - 1] > v) top[j] = top[j - 1], j--;
    top[j] = v;
  }
  for (let i = t; i < count; i++) {
    const v = a[i];
    if (v <= top[0]) continue;
    let j = 0;
    while (j + 1 < t && top[j + 1] < v) top[j] = top[j + 1], j++;
    top[j] = v;
  }
  return top;
}

/**
 * `np.quantile` (linear) of a multiset of `zeros` zeros and the positive values
 * `positives[0..count)` (unsorted; reordered here). Uses selection instead of a full sort, so it
 * costs O(count) and returns exactly the same value as sorting first.
 */
export function quantileWithZerosSelect(
  positives: Float64Array,
  count: number,
  zeros: number,
  q: number,
): number {
  const n = count + zeros;
  const virtual = (n - 1) * q;
  const prev = Math.floor(virtual);
  const next = Math.min(prev + 1, n - 1);
  if (prev >= zeros && count - (prev - zeros) <= TOP) {
    // the upper quantile of a cell: the few largest values, kept sorted in one pass
    const t = count - (prev - zeros);
    const top = topValues(positives, count, t);
    return lerp(top[0], next === prev ? top[0] : top[1], virtual - prev);
  }
  let a = 0;
  if (prev >= zeros) a = selectKth(positives, 0, count, prev - zeros);
  let b = 0;
  if (next >= zeros) {
    const k = next - zeros;
    if (next === prev) b = a;
    else {
      // after selecting rank k-1 (or none, when prev is a zero) the rank-k value is the smallest
      // of everything from k on
      const from = prev >= zeros ? k : 0;
      b = Infinity;
      for (let i = from; i < count; i++) if (positives[i] < b) b = positives[i];
    }
  }
  return lerp(a, b, virtual - prev);
}
