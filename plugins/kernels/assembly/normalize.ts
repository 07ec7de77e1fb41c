/**
 * Percentile normalisation with global bounds (scPortrait `percentile_normalization` after the
 * host has computed `lo = quantile(ch, lower)` and `hi = quantile(ch, upper)` over the whole
 * image): `clip((v - lo) / (hi - lo), 0, 1)` as float32; when `hi == lo` the division is skipped
 * (`clip(v - lo, 0, 1)`), as upstream.
 * @module
 */

/** Normalises `n` u16 values at `src` into f32 values at `dst` (may not alias). */
export function normalizeU16(src: usize, dst: usize, n: i32, lo: f64, hi: f64): void {
  // numpy computes in float32 for a float32 image: (im - lo) / (hi - lo), clip
  const l = <f32> lo;
  const range = <f32> hi - l;
  const divide = <f32> hi != l;
  for (let i = 0; i < n; i++) {
    let v = <f32> load<u16>(src + (<usize> i << 1)) - l;
    if (divide) v = v / range;
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    store<f32>(dst + (<usize> i << 2), v);
  }
}

/** Normalises `n` f32 values at `src` into `dst` (may alias). */
export function normalizeF32(src: usize, dst: usize, n: i32, lo: f64, hi: f64): void {
  const l = <f32> lo;
  const range = <f32> hi - l;
  const divide = <f32> hi != l;
  for (let i = 0; i < n; i++) {
    let v = load<f32>(src + (<usize> i << 2)) - l;
    if (divide) v = v / range;
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    store<f32>(dst + (<usize> i << 2), v);
  }
}
