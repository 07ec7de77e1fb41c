// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * The nucleus channel's intensity map (global normalisation, then the nucleus normalisation)
 * and its global Otsu threshold in mapped units, from the host's statistics.
 * @module
 */

import { hasError } from "../../sdk/assembly/errors";
import { ChannelStats } from "../../sdk/assembly/segmentation";
import { baseMap, requireStats, withSecondNormalization } from "./channel_maps";
import { IntensityMap } from "./intensity_map";
import { NucleusParams, Preprocessing } from "./nucleus_params";

/** The nucleus channel's value map and Otsu threshold (mapped), or null on error. */
export function nucleusMap(
  stats: ChannelStats[],
  pre: Preprocessing,
  nuc: NucleusParams,
  channel: i32,
): IntensityMap | null {
  if (!pre.normalize && !nuc.normalize && nuc.local) return new IntensityMap();
  const s = requireStats(stats, channel, "the nucleus normalisation or Otsu threshold");
  if (s === null) return null;
  let map = baseMap(s, pre.normalize, unchecked(pre.lower[channel]), unchecked(pre.upper[channel]));
  if (nuc.normalize) map = withSecondNormalization(map, s, nuc.lower, nuc.upper);
  return hasError() ? null : map;
}

/** The nucleus channel's global Otsu threshold in mapped units (0 when unused). */
export function nucleusOtsu(stats: ChannelStats[], map: IntensityMap, nuc: NucleusParams): f64 {
  if (nuc.local) return 0;
  const s = requireStats(stats, 0, "the global Otsu threshold (no threshold/median_block set)");
  return s === null ? 0 : map.apply(s.otsuThreshold);
}
