/**
 * Exact histograms of 16-bit images: one bin per value (65536 bins), accumulated chunk by chunk so
 * an image of any size is counted in bounded memory. Counts are float64, exact up to 2^53 pixels.
 * @module
 */

/** Number of bins of a uint16 histogram: one per possible value. */
export const U16_BINS = 65536;

/** A new, all-zero uint16 histogram (`hist[v]` = number of pixels equal to `v`). */
export function newHistogramU16(): Float64Array {
  return new Float64Array(U16_BINS);
}

/**
 * Adds the pixels of `data` to `hist`. Counting goes through a uint32 scratch histogram (exact for
 * chunks of fewer than 2^32 pixels) that is then added to the float64 totals.
 */
export function accumulateU16(hist: Float64Array, data: Uint16Array): void {
  const scratch = new Uint32Array(U16_BINS);
  for (let i = 0; i < data.length; i++) scratch[data[i]]++;
  for (let v = 0; v < U16_BINS; v++) {
    if (scratch[v] !== 0) hist[v] += scratch[v];
  }
}

/** Adds histogram `other` into `hist` (e.g. partial histograms of several chunks). */
export function mergeHistograms(hist: Float64Array, other: Float64Array): void {
  for (let v = 0; v < hist.length; v++) hist[v] += other[v];
}
