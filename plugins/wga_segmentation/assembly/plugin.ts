// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * wga-segmentation: scPortrait's `WGASegmentation` (spec §3.3–3.4) as a tile plugin — the
 * nucleus step of dapi-segmentation on channel 0, then the cytosol step on the WGA channel 1.
 * Output: `nucleus` and `cytosol` masks; a cell's nucleus and cytosol share a label and are
 * anchored at the nucleus's distance peak.
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
import { anchoredObjects } from "../../dapi_segmentation/assembly/anchored_objects";
import {
  baseMap,
  requireQuantile,
  requireStats,
} from "../../dapi_segmentation/assembly/channel_maps";
import { IntensityMap } from "../../dapi_segmentation/assembly/intensity_map";
import { medianPlane } from "../../dapi_segmentation/assembly/median_plane";
import { NucleusParams, Preprocessing } from "../../dapi_segmentation/assembly/nucleus_params";
import { segmentNuclei } from "../../dapi_segmentation/assembly/nucleus_pipeline";
import { nucleusMap, nucleusOtsu } from "../../dapi_segmentation/assembly/nucleus_maps";
import { TileFrame } from "../../dapi_segmentation/assembly/tile_frame";
import { CytosolParams } from "./cytosol_params";
import { CytosolInputs, segmentCytosol } from "./cytosol_pipeline";

/**
 * The cytosol step's maps and thresholds from the global statistics of tile channel 1.
 * Upstream quirk kept: without a global normalisation the median filter runs in place on the
 * input image, so the background threshold then reads the median-filtered WGA plane.
 */
function cytosolInputs(
  stats: ChannelStats[],
  pre: Preprocessing,
  p: CytosolParams,
  raw: usize,
  median: usize,
): CytosolInputs | null {
  const s = requireStats(stats, 1, "the cytosol step (potential map quantiles)");
  if (s === null) return null;
  const inp = new CytosolInputs();
  inp.potentialPlane = median;
  inp.potentialMap = baseMap(s, pre.normalize, unchecked(pre.lower[1]), unchecked(pre.upper[1]));
  inp.q02 = inp.potentialMap.apply(requireQuantile(s, 0.02));
  inp.q98 = inp.potentialMap.apply(requireQuantile(s, 0.98));
  inp.backgroundPlane = pre.normalize ? raw : median;
  const map = new IntensityMap();
  if (p.normalize) map.then(requireQuantile(s, p.lower), requireQuantile(s, p.upper));
  inp.backgroundMap = map;
  inp.threshold = p.hasThreshold ? p.threshold : map.apply(s.otsuThreshold);
  return hasError() ? null : inp;
}

/** Segments nuclei (channel 0) and cytosols (channel 1) of a two-channel tile. */
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
  if (tile.channels != 2) {
    invalidInput(
      "wga-segmentation takes two channels (nucleus, cytosol/WGA), got " +
        tile.channels.toString(),
    );
    return null;
  }
  const pre = Preprocessing.parse(params, 2);
  const nuc = NucleusParams.parse(params);
  const cyto = CytosolParams.parse(params);
  if (nuc === null || cyto === null || hasError()) return null;
  const map = nucleusMap(stats, pre, nuc, 0);
  if (map === null) return null;
  const otsu = nucleusOtsu(stats, map, nuc);
  if (hasError()) return null;
  const h = tile.height;
  const w = tile.width;
  const raw0 = tile.plane(0);
  const raw1 = tile.plane(1);
  const med1 = medianPlane(raw1, h, w, pre.medianSize);
  const inputs = cytosolInputs(stats, pre, cyto, raw1, med1);
  if (inputs === null) {
    if (med1 != raw1) heap.free(med1);
    return null;
  }
  const frame = new TileFrame(region, h, w);
  const med0 = medianPlane(raw0, h, w, pre.medianSize);
  const nr = segmentNuclei(med0, frame, map, otsu, nuc, pre.filterSize);
  if (med0 != raw0) heap.free(med0);
  const labels = segmentCytosol(inputs, nr, frame, cyto, pre.filterSize);
  if (med1 != raw1) heap.free(med1);
  nr.disposeMask();
  const result = new SegmentationResult();
  result.masks.push(
    new MaskResult("nucleus", nr.labels, anchoredObjects(nr.labels, nr.peaks, frame)),
  );
  result.masks.push(new MaskResult("cytosol", labels, anchoredObjects(labels, nr.peaks, frame)));
  return result;
}
