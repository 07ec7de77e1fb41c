/**
 * Median filter for small disk footprints (radius ≤ {@link SMALL_MEDIAN_MAX_RADIUS}) with
 * `mode="nearest"`, as `skimage.filters.median(img, disk(r))` = `scipy.ndimage.median_filter`:
 * the footprint's values (out-of-image taps clamped to the edge pixel) are gathered and the
 * element of rank `size / 2` is selected. The kernels' sliding-histogram filter
 * (`median_filter.ts`) pays a per-pixel histogram walk that dominates for footprints of 5–29
 * pixels; here one small selection per pixel is cheaper. Same result by definition (the
 * median of the same multiset). Larger radii go to the kernel.
 * @module
 */

import { diskHalfWidths } from "../../kernels/assembly/disk";

/** Largest disk radius this filter handles (disk(2) = 13 pixels). */
export const SMALL_MEDIAN_MAX_RADIUS: i32 = 2;

// room for the largest footprint (disk(3) = 29 values)
const WINDOW = memory.data(64 << 1);

/** Value of rank `k` among the `n` u16 values at `a` (partially reorders them). */
function select(a: usize, n: i32, k: i32): u16 {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = load<u16>(a + (<usize> ((lo + hi) >> 1) << 1));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (load<u16>(a + (<usize> i << 1)) < pivot) i++;
      while (load<u16>(a + (<usize> j << 1)) > pivot) j--;
      if (i <= j) {
        const t = load<u16>(a + (<usize> i << 1));
        store<u16>(a + (<usize> i << 1), load<u16>(a + (<usize> j << 1)));
        store<u16>(a + (<usize> j << 1), t);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return load<u16>(a + (<usize> k << 1));
}

/** Filters `src` (u16, `height * width`) into `dst` (must not alias) with `disk(radius)`. */
export function smallMedianU16(src: usize, dst: usize, height: i32, width: i32, radius: i32): void {
  const hw = diskHalfWidths(radius);
  const r = radius;
  let size = 0;
  for (let k = 0; k <= 2 * r; k++) size += 2 * unchecked(hw[k]) + 1;
  const rank = size >> 1;
  // offsets (in pixels) of the footprint for interior pixels
  const offsets = new StaticArray<i32>(size);
  let m = 0;
  for (let k = 0; k <= 2 * r; k++) {
    const w = unchecked(hw[k]);
    for (let dx = -w; dx <= w; dx++) unchecked(offsets[m++] = (k - r) * width + dx);
  }
  for (let y = 0; y < height; y++) {
    const interiorY = y >= r && y < height - r;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (interiorY && x >= r && x < width - r) {
        for (let q = 0; q < size; q++) {
          store<u16>(
            WINDOW + (<usize> q << 1),
            load<u16>(src + (<usize> (i + unchecked(offsets[q])) << 1)),
          );
        }
      } else {
        let q = 0;
        for (let k = 0; k <= 2 * r; k++) {
          const yy = min(max(y + k - r, 0), height - 1);
          const w = unchecked(hw[k]);
          for (let dx = -w; dx <= w; dx++) {
            const xx = min(max(x + dx, 0), width - 1);
            store<u16>(
              WINDOW + (<usize> q << 1),
              load<u16>(src + ((<usize> yy * <usize> width + <usize> xx) << 1)),
            );
            q++;
          }
        }
      }
      store<u16>(dst + (<usize> i << 1), select(WINDOW, size, rank));
    }
  }
}
