/**
 * Disk footprints as skimage builds them (`skimage.morphology.disk(r)`: the pixels with
 * `dy² + dx² <= r²`), stored as one half-width per row so kernels can work on row runs.
 * @module
 */

/**
 * Half-widths of `disk(radius)`: element `dy + radius` is the largest `dx` with
 * `dy² + dx² <= radius²`, for `dy` in `[-radius, radius]`. Length `2 * radius + 1`.
 */
export function diskHalfWidths(radius: i32): StaticArray<i32> {
  const r = max(radius, 0);
  const out = new StaticArray<i32>(2 * r + 1);
  for (let dy = -r; dy <= r; dy++) {
    let w = <i32> Math.floor(Math.sqrt(<f64> (r * r - dy * dy)));
    // guard against sqrt rounding: make w the exact integer bound
    while ((w + 1) * (w + 1) + dy * dy <= r * r) w++;
    while (w > 0 && w * w + dy * dy > r * r) w--;
    unchecked(out[dy + r] = w);
  }
  return out;
}

/** Half-widths of a full square of side `2 * radius + 1` (every row has half-width `radius`). */
export function squareHalfWidths(radius: i32): StaticArray<i32> {
  const r = max(radius, 0);
  const out = new StaticArray<i32>(2 * r + 1);
  for (let i = 0; i < 2 * r + 1; i++) unchecked(out[i] = r);
  return out;
}

/** Number of pixels in a footprint given by row half-widths. */
export function footprintSize(halfWidths: StaticArray<i32>): i32 {
  let n = 0;
  for (let i = 0; i < halfWidths.length; i++) n += 2 * unchecked(halfWidths[i]) + 1;
  return n;
}
