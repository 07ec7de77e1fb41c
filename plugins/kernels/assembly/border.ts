/**
 * Out-of-bounds index rules of `scipy.ndimage` filters, for one axis of length `n`.
 * @module
 */

/** `mode='nearest'`: clamp to the edge pixel. */
export const BORDER_NEAREST: i32 = 0;
/** `mode='reflect'`: half-sample symmetric (`d c b a | a b c d | d c b a`). */
export const BORDER_REFLECT: i32 = 1;
/** `mode='mirror'`: whole-sample symmetric (`d c b | a b c d | c b a`). */
export const BORDER_MIRROR: i32 = 2;

/** Maps index `i` (possibly outside `[0, n)`) into the axis according to `mode`. */

export function borderIndex(i: i32, n: i32, mode: i32): i32 {
  if (i >= 0 && i < n) return i;
  if (mode == BORDER_NEAREST || n == 1) return i < 0 ? 0 : n - 1;
  if (mode == BORDER_REFLECT) {
    const period = 2 * n;
    let k = i % period;
    if (k < 0) k += period;
    return k < n ? k : period - 1 - k;
  }
  const period = 2 * n - 2;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - k;
}
