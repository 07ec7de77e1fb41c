/**
 * `skimage.feature.peak_local_max(image, min_distance, footprint=…)` for 2-D images with the
 * defaults scPortrait uses (`threshold_abs=None` → `image.min()`, `exclude_border=True` →
 * `min_distance`, `p_norm=inf`, no labels):
 * 1. candidates: `image == maximum_filter(image, footprint, mode="constant", cval=0)` and
 *    `image > image.min()`, outside a border of `exclude` pixels;
 * 2. sorted by descending value — ties in raster order (numpy's default quicksort leaves tie
 *    order unspecified and platform-dependent; see docs/decisions.md);
 * 3. greedy spacing: a candidate is dropped when an already accepted peak lies at Chebyshev
 *    distance `< min_distance`.
 * skimage's "trivial image" rule (every pixel equal to its maximum filter → no peaks) cannot
 * change the result with the default threshold: such an image is constant, so no pixel exceeds
 * its minimum.
 * @module
 */

/**
 * Finds the peaks of `image` (f64, `height * width`). Writes `(y, x)` pairs (i32) to `out`
 * (room for `maxPeaks` pairs) in output order and returns the number of peaks found (which may
 * exceed `maxPeaks`; then only the first `maxPeaks` are written).
 * `exclude` < 0 means "use `minDistance`".
 */
export function peakLocalMax(
  image: usize,
  height: i32,
  width: i32,
  minDistance: i32,
  halfWidths: StaticArray<i32>,
  exclude: i32,
  out: usize,
  maxPeaks: i32,
): i32 {
  const n = height * width;
  if (n == 0) return 0;
  const border = exclude < 0 ? minDistance : exclude;
  let lo = Infinity;
  for (let i = 0; i < n; i++) lo = min(lo, load<f64>(image + (<usize> i << 3)));
  const r = (halfWidths.length - 1) >> 1;
  // candidates (raster order)
  let cap = 1024;
  let cand = heap.alloc(<usize> cap << 2);
  let count = 0;
  for (let y = border; y < height - border; y++) {
    for (let x = border; x < width - border; x++) {
      const v = load<f64>(image + ((<usize> y * <usize> width + <usize> x) << 3));
      if (!(v > lo)) continue;
      let isMax = true;
      for (let k = 0; isMax && k <= 2 * r; k++) {
        const yy = y + k - r;
        const w = unchecked(halfWidths[k]);
        if (yy < 0 || yy >= height) {
          if (v < 0) isMax = false;
          continue;
        }
        if ((x - w < 0 || x + w >= width) && v < 0) isMax = false;
        const row = image + ((<usize> yy * <usize> width) << 3);
        const x0 = max(x - w, 0);
        const x1 = min(x + w, width - 1);
        for (let xx = x0; xx <= x1; xx++) {
          if (load<f64>(row + (<usize> xx << 3)) > v) {
            isMax = false;
            break;
          }
        }
      }
      if (!isMax) continue;
      if (count == cap) {
        cap <<= 1;
        cand = heap.realloc(cand, <usize> cap << 2);
      }
      store<i32>(cand + (<usize> count << 2), y * width + x);
      count++;
    }
  }
  // stable sort by descending value (merge sort on indices)
  const tmp = heap.alloc(<usize> max(count, 1) << 2);
  sortDescending(image, cand, tmp, count);
  heap.free(tmp);
  // greedy spacing with a blocked raster
  const blocked = heap.alloc(<usize> n);
  memory.fill(blocked, 0, <usize> n);
  const reach = minDistance - 1;
  let found = 0;
  for (let i = 0; i < count; i++) {
    const p = load<i32>(cand + (<usize> i << 2));
    if (load<u8>(blocked + <usize> p) != 0) continue;
    const y = p / width;
    const x = p % width;
    if (found < maxPeaks) {
      store<i32>(out + (<usize> found << 3), y);
      store<i32>(out + (<usize> found << 3) + 4, x);
    }
    found++;
    if (reach < 0) continue;
    const y0 = max(y - reach, 0);
    const y1 = min(y + reach, height - 1);
    const x0 = max(x - reach, 0);
    const x1 = min(x + reach, width - 1);
    for (let yy = y0; yy <= y1; yy++) {
      memory.fill(blocked + <usize> yy * <usize> width + <usize> x0, 1, <usize> (x1 - x0 + 1));
    }
  }
  heap.free(blocked);
  heap.free(cand);
  return found;
}

/** Bottom-up merge sort of pixel indices by descending value; equal values keep their order. */
function sortDescending(image: usize, a: usize, tmp: usize, n: i32): void {
  let src = a;
  let dst = tmp;
  for (let width = 1; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = min(lo + width, n);
      const hi = min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const pi = load<i32>(src + (<usize> i << 2));
        const pj = load<i32>(src + (<usize> j << 2));
        const vi = load<f64>(image + (<usize> pi << 3));
        const vj = load<f64>(image + (<usize> pj << 3));
        if (vj > vi) {
          store<i32>(dst + (<usize> (k++) << 2), pj);
          j++;
        } else {
          store<i32>(dst + (<usize> (k++) << 2), pi);
          i++;
        }
      }
      while (i < mid) store<i32>(dst + (<usize> (k++) << 2), load<i32>(src + (<usize> (i++) << 2)));
      while (j < hi) store<i32>(dst + (<usize> (k++) << 2), load<i32>(src + (<usize> (j++) << 2)));
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memory.copy(a, src, <usize> n << 2);
}
