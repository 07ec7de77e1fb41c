/**
 * scPortrait's `global_otsu`: a 512-bin `np.histogram` over `[min, max]`, bin centres, and the
 * centre maximising `w1[:-1]·w2[1:]·(μ1[:-1] − μ2[1:])²` (first maximum). It is computed from a
 * list of distinct values with their counts, which the host gets from an exact u16 histogram
 * of the whole image (mapped through the normalisation when the image was normalised), so the
 * threshold does not depend on tiling. Arithmetic follows numpy's float64 path (integer images).
 * @module
 */

/** Number of bins scPortrait uses. */
export const OTSU_BINS: i32 = 512;

/**
 * Otsu threshold of the values `values[i]` (f64, ascending, distinct) occurring `counts[i]`
 * (f64) times, with `nbins` equal bins between the smallest and largest value.
 * Returns NaN when `n == 0`.
 */
export function otsuFromCounts(values: usize, counts: usize, n: i32, nbins: i32): f64 {
  if (n <= 0) return NaN;
  let first = load<f64>(values);
  let last = load<f64>(values + (<usize> (n - 1) << 3));
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  // np.linspace(first, last, nbins + 1)
  const edges = new StaticArray<f64>(nbins + 1);
  const delta = last - first;
  const step = delta / <f64> nbins;
  for (let i = 0; i <= nbins; i++) unchecked(edges[i] = <f64> i * step + first);
  unchecked(edges[nbins] = last);
  const hist = new StaticArray<f64>(nbins);
  const norm = <f64> nbins / delta;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(values + (<usize> i << 3));
    const c = load<f64>(counts + (<usize> i << 3));
    // numpy's _search_sorted-free binning with its edge corrections
    let idx = <i32> ((v - first) * norm);
    if (idx == nbins) idx--;
    if (v < unchecked(edges[idx])) idx--;
    else if (idx != nbins - 1 && v >= unchecked(edges[idx + 1])) idx++;
    unchecked(hist[idx] += c);
  }
  const centers = new StaticArray<f64>(nbins);
  for (let i = 0; i < nbins; i++) {
    unchecked(centers[i] = edges[i] + (edges[i + 1] - edges[i]) / 2);
  }
  // weight1 = cumsum(counts); mean1 = cumsum(counts * centers) / weight1
  const w1 = new StaticArray<f64>(nbins);
  const m1 = new StaticArray<f64>(nbins);
  let cw: f64 = 0;
  let cm: f64 = 0;
  for (let i = 0; i < nbins; i++) {
    cw += unchecked(hist[i]);
    cm += unchecked(hist[i] * centers[i]);
    unchecked(w1[i] = cw);
    unchecked(m1[i] = cm / cw);
  }
  // weight2 = cumsum(counts[::-1])[::-1]; mean2 = (cumsum((counts*c)[::-1]) / weight2[::-1])[::-1]
  const w2 = new StaticArray<f64>(nbins);
  const m2 = new StaticArray<f64>(nbins);
  cw = 0;
  cm = 0;
  for (let i = nbins - 1; i >= 0; i--) {
    cw += unchecked(hist[i]);
    cm += unchecked(hist[i] * centers[i]);
    unchecked(w2[i] = cw);
    unchecked(m2[i] = cm / cw);
  }
  let best = -Infinity;
  let bestIdx = 0;
  let seenNaN = false;
  for (let i = 0; i < nbins - 1; i++) {
    const d = unchecked(m1[i] - m2[i + 1]);
    const v = unchecked(w1[i] * w2[i + 1]) * d * d;
    // np.argmax returns the first NaN if any, else the first maximum
    if (isNaN(v)) {
      if (!seenNaN) {
        seenNaN = true;
        bestIdx = i;
      }
      continue;
    }
    if (!seenNaN && v > best) {
      best = v;
      bestIdx = i;
    }
  }
  return unchecked(centers[bestIdx]);
}

/**
 * Otsu threshold of a u16 histogram `hist` (65536 u32 counts, e.g. the host's global
 * pre-pass): the distinct values with non-zero counts feed {@link otsuFromCounts}.
 */
export function otsuFromU16Histogram(hist: usize, nbins: i32): f64 {
  let n = 0;
  for (let v = 0; v < 65536; v++) if (load<u32>(hist + (<usize> v << 2)) != 0) n++;
  if (n == 0) return NaN;
  const values = heap.alloc(<usize> n << 3);
  const counts = heap.alloc(<usize> n << 3);
  let k = 0;
  for (let v = 0; v < 65536; v++) {
    const c = load<u32>(hist + (<usize> v << 2));
    if (c == 0) continue;
    store<f64>(values + (<usize> k << 3), <f64> v);
    store<f64>(counts + (<usize> k << 3), <f64> c);
    k++;
  }
  const t = otsuFromCounts(values, counts, n, nbins);
  heap.free(values);
  heap.free(counts);
  return t;
}

/** Adds the `n` u16 values at `src` into a 65536-bin u32 histogram `hist`. */
export function histogramU16(src: usize, n: i32, hist: usize): void {
  for (let i = 0; i < n; i++) {
    const p = hist + (<usize> load<u16>(src + (<usize> i << 1)) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
}
