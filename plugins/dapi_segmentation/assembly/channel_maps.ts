// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * Builds the intensity maps of a channel from the host's global statistics: the top-level
 * normalisation (exact global quantiles of the raw plane), optionally followed by a
 * mask-specific one. scPortrait computes the second one's quantiles on the normalised,
 * median-filtered plane of the whole image; the host's statistics are of the raw plane, so
 * they are mapped through the first normalisation instead (docs/decisions.md records this).
 * @module
 */

import { invalidInput } from "../../sdk/assembly/errors";
import { ChannelStats } from "../../sdk/assembly/segmentation";
import { globalQuantile, statsFor } from "./global_quantile";
import { IntensityMap } from "./intensity_map";

/** The global statistics of `channel`, recording invalid-input (naming `why`) when absent. */
export function requireStats(
  stats: ChannelStats[],
  channel: i32,
  why: string,
): ChannelStats | null {
  const s = statsFor(stats, channel);
  if (s === null) {
    invalidInput(
      why + " needs the global statistics of tile channel " + channel.toString() +
        "; the host passed none (declare them in the manifest's statistics)",
    );
  }
  return s;
}

/** The global quantile at `p`, recording invalid-input when the host did not compute it. */
export function requireQuantile(s: ChannelStats, p: f64): f64 {
  const v = globalQuantile(s, p);
  if (isNaN(v)) {
    invalidInput(
      "the global quantile " + p.toString() + " of tile channel " + s.channel.toString() +
        " is missing from the host's statistics",
    );
    return 0;
  }
  return v;
}

/** The top-level map of a channel: its percentile normalisation when configured. */
export function baseMap(s: ChannelStats, normalize: bool, lower: f64, upper: f64): IntensityMap {
  const m = new IntensityMap();
  if (normalize) m.then(requireQuantile(s, lower), requireQuantile(s, upper));
  return m;
}

/** `base` followed by a second normalisation at quantiles `lower`, `upper` (mapped by `base`). */
export function withSecondNormalization(
  base: IntensityMap,
  s: ChannelStats,
  lower: f64,
  upper: f64,
): IntensityMap {
  const lo = base.apply(requireQuantile(s, lower));
  const hi = base.apply(requireQuantile(s, upper));
  return base.clone().then(lo, hi);
}
