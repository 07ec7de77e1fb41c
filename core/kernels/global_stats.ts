/**
 * Image-wide statistics from an exact uint16 histogram, with the semantics of the Python tools:
 * quantiles as `numpy.quantile(img, q)` (linear method, numpy's two-sided lerp), and the Otsu
 * threshold as `skimage.filters.threshold_otsu(img)` on an integer image — which uses one bin per
 * integer value between the image's min and max and ignores `nbins`, so the bin count cannot
 * change the result for uint16 input.
 * @module
 */
import { ScportraitError } from "../errors.ts";

/** Count, min, max and mean of the pixels a histogram counts. */
export interface HistogramSummary {
  /** Number of pixels. */
  count: number;
  /** Smallest value (0 when empty). */
  min: number;
  /** Largest value (0 when empty). */
  max: number;
  /** Mean value (0 when empty). */
  mean: number;
}

/** Count, min, max and mean of `hist` (bin `v` counts pixels equal to `v`). */
export function histogramSummary(hist: Float64Array): HistogramSummary {
  let count = 0, sum = 0, min = -1, max = 0;
  for (let v = 0; v < hist.length; v++) {
    const n = hist[v];
    if (n === 0) continue;
    if (min < 0) min = v;
    max = v;
    count += n;
    sum += n * v;
  }
  return count === 0
    ? { count: 0, min: 0, max: 0, mean: 0 }
    : { count, min, max, mean: sum / count };
}

function requireNonEmpty(hist: Float64Array, what: string): number {
  let count = 0;
  for (let v = 0; v < hist.length; v++) count += hist[v];
  if (count === 0) {
    throw new ScportraitError(
      "INPUT_INVALID",
      `Cannot compute the ${what} of an empty image (the histogram counts no pixels).`,
    );
  }
  return count;
}

/** The `k`-th smallest pixel value (0-based), by binary search in the cumulative counts. */
function kthValue(cumulative: Float64Array, k: number): number {
  let lo = 0, hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `numpy.quantile(img, q)` (default linear method) of the image counted by `hist`: virtual index
 * `(n-1)·q`, values at its floor and the next index, and numpy's lerp (`a + (b-a)·t`, or
 * `b - (b-a)·(1-t)` when `t ≥ 0.5`).
 */
export function quantileFromHistogram(hist: Float64Array, q: number): number {
  return quantilesFromHistogram(hist, [q])[0];
}

/** {@link quantileFromHistogram} for several probabilities, summing the histogram once. */
export function quantilesFromHistogram(hist: Float64Array, qs: readonly number[]): number[] {
  for (const q of qs) {
    if (!(q >= 0 && q <= 1)) {
      throw new ScportraitError("INPUT_INVALID", `Quantile probability ${q} is not in [0, 1].`);
    }
  }
  const n = requireNonEmpty(hist, "quantile");
  const cumulative = new Float64Array(hist.length);
  let seen = 0;
  for (let v = 0; v < hist.length; v++) cumulative[v] = seen += hist[v];
  return qs.map((q) => {
    const virtual = (n - 1) * q;
    const prev = Math.floor(virtual);
    const next = Math.min(prev + 1, n - 1);
    const a = kthValue(cumulative, prev);
    const b = next === prev ? a : kthValue(cumulative, next);
    const t = virtual - prev;
    const diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  });
}

/**
 * `skimage.filters.threshold_otsu(img)` for an integer image counted by `hist`: bins are the
 * integers from min to max; the threshold is the bin centre maximising
 * `w1[:-1]·w2[1:]·(μ1[:-1] − μ2[1:])²` (first maximum); an image of one value returns it.
 */
export function otsuFromHistogram(hist: Float64Array): number {
  requireNonEmpty(hist, "Otsu threshold");
  const { min, max } = histogramSummary(hist);
  if (min === max) return min;
  const bins = max - min + 1;
  // weight1/mean1 from the left, weight2/mean2 from the right, as skimage's cumsums
  const w1 = new Float64Array(bins), s1 = new Float64Array(bins);
  const w2 = new Float64Array(bins), s2 = new Float64Array(bins);
  let cw = 0, cs = 0;
  for (let i = 0; i < bins; i++) {
    const n = hist[min + i];
    cw += n;
    cs += n * (min + i);
    w1[i] = cw;
    s1[i] = cs;
  }
  cw = 0;
  cs = 0;
  for (let i = bins - 1; i >= 0; i--) {
    const n = hist[min + i];
    cw += n;
    cs += n * (min + i);
    w2[i] = cw;
    s2[i] = cs;
  }
  let best = -Infinity, bestIndex = 0;
  for (let i = 0; i < bins - 1; i++) {
    const mean1 = s1[i] / w1[i];
    const mean2 = s2[i + 1] / w2[i + 1];
    const d = mean1 - mean2;
    const variance = w1[i] * w2[i + 1] * (d * d);
    if (variance > best) {
      best = variance;
      bestIndex = i;
    }
  }
  return min + bestIndex;
}
