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
