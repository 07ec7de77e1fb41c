// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * Global quantiles from the host's statistics pre-pass. The manifest asks for every multiple of
 * 0.001, so the quantiles configs use (0.001, 0.01, 0.02, 0.98, 0.99, 0.999, …) are exact
 * (`numpy.quantile` of the whole plane); any other probability is interpolated linearly between
 * the nearest probabilities the host computed.
 * @module
 */

import { ChannelStats } from "../../sdk/assembly/segmentation";

/** The statistics of tile channel `channel`, or null when the host passed none. */
export function statsFor(stats: ChannelStats[], channel: i32): ChannelStats | null {
  for (let i = 0; i < stats.length; i++) {
    if (unchecked(stats[i]).channel == channel) return unchecked(stats[i]);
  }
  return null;
}

/** The quantile of `s` at probability `p`; NaN when no computed probabilities bracket `p`. */
export function globalQuantile(s: ChannelStats, p: f64): f64 {
  const exact = s.quantile(p);
  if (!isNaN(exact)) return exact;
  let pl: f64 = -1;
  let vl: f64 = NaN;
  let ph: f64 = 2;
  let vh: f64 = NaN;
  for (let i = 0; i < s.quantileProbabilities.length; i++) {
    const q = unchecked(s.quantileProbabilities[i]);
    const v = unchecked(s.quantileValues[i]);
    if (q <= p && q > pl) {
      pl = q;
      vl = v;
    }
    if (q >= p && q < ph) {
      ph = q;
      vh = v;
    }
  }
  if (isNaN(vl) || isNaN(vh)) return NaN;
  if (ph == pl) return vl;
  return vl + (vh - vl) * ((p - pl) / (ph - pl));
}
