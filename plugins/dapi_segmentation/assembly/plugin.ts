// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * dapi-segmentation: scPortrait's `DAPISegmentation` (spec §3.3) as a tile plugin — global
 * percentile normalisation, median filter, nucleus normalisation, local-median (or Otsu)
 * threshold, speckle removal, distance transform, peak_local_max, fast marching, watershed,
 * edge/size/contact filters. Output: the `nucleus` mask, each nucleus anchored at its peak.
 * @module
 */

import { hasError, invalidInput } from "../../sdk/assembly/errors";
import { Params } from "../../sdk/assembly/params";
import {
  ChannelStats,
  MaskResult,
  SegmentationResult,
  TileRegion,
} from "../../sdk/assembly/segmentation";
import { TileU16 } from "../../sdk/assembly/tile";
import { anchoredObjects } from "./anchored_objects";
import { medianPlane } from "./median_plane";
import { nucleusMap, nucleusOtsu } from "./nucleus_maps";
import { NucleusParams, Preprocessing } from "./nucleus_params";
import { segmentNuclei } from "./nucleus_pipeline";
import { TileFrame } from "./tile_frame";

/** Segments the nuclei of a one-channel tile. */
export function segment(
  tile: TileU16,
  region: TileRegion,
  stats: ChannelStats[],
  params: Params,
): SegmentationResult | null {
  const shape = tile.checkShape("tile");
  if (shape.length > 0) {
    invalidInput(shape);
    return null;
  }
  if (tile.channels != 1) {
    invalidInput(
      "dapi-segmentation takes one channel (the nucleus stain), got " + tile.channels.toString(),
    );
    return null;
  }
  const pre = Preprocessing.parse(params, 1);
  const nuc = NucleusParams.parse(params);
  if (nuc === null || hasError()) return null;
  const map = nucleusMap(stats, pre, nuc, 0);
  if (map === null) return null;
  const otsu = nucleusOtsu(stats, map, nuc);
  if (hasError()) return null;
  const frame = new TileFrame(region, tile.height, tile.width);
  const raw = tile.plane(0);
  const plane = medianPlane(raw, tile.height, tile.width, pre.medianSize);
  const r = segmentNuclei(plane, frame, map, otsu, nuc, pre.filterSize);
  if (plane != raw) heap.free(plane);
  r.disposeMask();
  const result = new SegmentationResult();
  result.masks.push(new MaskResult("nucleus", r.labels, anchoredObjects(r.labels, r.peaks, frame)));
  return result;
}
