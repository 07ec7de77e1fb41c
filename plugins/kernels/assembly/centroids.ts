/**
 * scPortrait `numba_mask_centroid`: per id, the pixel count and the mean (y, x), summing
 * coordinates in raster order in float64 as upstream does, so means match bit for bit.
 * @module
 */

/**
 * Accumulates, for ids `1..maxId`, counts (u32) and coordinate sums (f64) of `labels`
 * (u32, `height * width`). `counts`, `sumY`, `sumX` have `maxId + 1` entries and are zeroed
 * here. Centres are `sumY[id] / counts[id]`, `sumX[id] / counts[id]` for ids with counts > 0.
 */
export function labelCentroidSums(
  labels: usize,
  height: i32,
  width: i32,
  maxId: u32,
  counts: usize,
  sumY: usize,
  sumX: usize,
): void {
  const m = <usize> maxId + 1;
  memory.fill(counts, 0, m << 2);
  memory.fill(sumY, 0, m << 3);
  memory.fill(sumX, 0, m << 3);
  for (let y = 0; y < height; y++) {
    const row = labels + ((<usize> y * <usize> width) << 2);
    for (let x = 0; x < width; x++) {
      const v = <usize> load<u32>(row + (<usize> x << 2));
      if (v == 0 || v > <usize> maxId) continue;
      store<u32>(counts + (v << 2), load<u32>(counts + (v << 2)) + 1);
      store<f64>(sumY + (v << 3), load<f64>(sumY + (v << 3)) + <f64> y);
      store<f64>(sumX + (v << 3), load<f64>(sumX + (v << 3)) + <f64> x);
    }
  }
}
