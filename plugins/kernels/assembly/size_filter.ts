/**
 * scPortrait `SizeFilter`: ids whose pixel count is `< lower` or `> upper` are removed. Without
 * configured thresholds they come from a one-component Gaussian mixture fitted to log(counts)
 * (as sklearn's `GaussianMixture(1)`: mean over `n + 10·eps`, variance + `reg_covar` 1e-6) and
 * `exp(μ + σ·Φ⁻¹(0.5 ∓ ci/2))`.
 * @module
 */

import { labelCounts, maxLabel, removeFlagged } from "./label_stats";
import { normalQuantile } from "./normal_quantile";

const EPS: f64 = 2.220446049250313e-16;

/**
 * Log-normal thresholds from the counts of the ids present (`counts` u32, `maxId + 1` entries,
 * index 0 ignored) at confidence interval `ci`. Writes `[lower, upper]` (f64) to `out`; NaN when
 * no id is present.
 */
export function lognormalThresholds(counts: usize, maxId: u32, ci: f64, out: usize): void {
  let n: f64 = 0;
  let sum: f64 = 0;
  for (let i: u32 = 1; i <= maxId; i++) {
    const c = load<u32>(counts + (<usize> i << 2));
    if (c == 0) continue;
    n += 1;
    sum += Math.log(<f64> c);
  }
  if (n == 0) {
    store<f64>(out, NaN);
    store<f64>(out + 8, NaN);
    return;
  }
  const nk = n + 10 * EPS;
  const mu = sum / nk;
  let ss: f64 = 0;
  for (let i: u32 = 1; i <= maxId; i++) {
    const c = load<u32>(counts + (<usize> i << 2));
    if (c == 0) continue;
    const d = Math.log(<f64> c) - mu;
    ss += d * d;
  }
  const sigma = Math.sqrt(ss / nk + 1e-6);
  const percent = 1 - ci;
  store<f64>(out, Math.exp(mu + sigma * normalQuantile(percent / 2)));
  store<f64>(out + 8, Math.exp(mu + sigma * normalQuantile(1 - percent / 2)));
}

/**
 * Removes, in place, ids of `labels` (u32, `n` pixels) with count `< lower` or `> upper` (pass
 * NaN for either to derive both from the log-normal fit at `ci`). Returns the number removed.
 */
export function sizeFilter(labels: usize, n: i32, lower: f64, upper: f64, ci: f64): i32 {
  const maxId = maxLabel(labels, n);
  if (maxId == 0) return 0;
  const m = <usize> maxId + 1;
  const counts = heap.alloc(m << 2);
  labelCounts(labels, n, counts, maxId);
  let lo = lower;
  let hi = upper;
  if (isNaN(lo) || isNaN(hi)) {
    const t = heap.alloc(16);
    lognormalThresholds(counts, maxId, ci, t);
    lo = load<f64>(t);
    hi = load<f64>(t + 8);
    heap.free(t);
  }
  const flags = heap.alloc(m);
  memory.fill(flags, 0, m);
  let removed = 0;
  for (let i: usize = 1; i < m; i++) {
    const c = <f64> load<u32>(counts + (i << 2));
    if (c == 0) continue;
    if (c < lo || c > hi) {
      store<u8>(flags + i, 1);
      removed++;
    }
  }
  removeFlagged(labels, n, flags, maxId);
  heap.free(flags);
  heap.free(counts);
  return removed;
}
