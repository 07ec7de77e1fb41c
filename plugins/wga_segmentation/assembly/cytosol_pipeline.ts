// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * scPortrait's WGA cytosol segmentation (`_cytosol_segmentation`, spec §3.4) on one tile:
 * background mask (below the threshold, minus nuclei; grey dilation by `erosion`, binary
 * erosion by `dilation`), speed map from the median-corrected WGA plane (the `/ q98` quirk is
 * kept), fast-marching travel time from every pre-filter nucleus centre, marker watershed with
 * the post-filter nucleus ids, then edge/size/contact filters and dropping nuclei without a
 * cytosol. Cytosol ids are nucleus ids, so a cell's two masks share its label and anchor.
 * @module
 */

import { binaryDilate, binaryErode } from "../../kernels/assembly/binary_morphology";
import { diskHalfWidths } from "../../kernels/assembly/disk";
import { fastMarch } from "../../kernels/assembly/fast_marching";
import { labelCounts } from "../../kernels/assembly/label_stats";
import { watershed } from "../../kernels/assembly/watershed";
import { RawArray } from "../../sdk/assembly/memory";
import { IntensityMap, mapTable } from "../../dapi_segmentation/assembly/intensity_map";
import { filterMask, NucleusResult } from "../../dapi_segmentation/assembly/nucleus_pipeline";
import { TileFrame } from "../../dapi_segmentation/assembly/tile_frame";
import { CytosolParams } from "./cytosol_params";

/** The inputs of the cytosol step besides the nucleus result. */
export class CytosolInputs {
  /** u16 plane the background threshold reads (raw WGA, or median-filtered — see plugin.ts). */
  backgroundPlane: usize = 0;
  /** Its value map (the cytosol normalisation, or none). */
  backgroundMap: IntensityMap = new IntensityMap();
  /** Background threshold in mapped units. */
  threshold: f64 = 0;
  /** u16 plane of the median-corrected WGA channel (raw values). */
  potentialPlane: usize = 0;
  /** Its value map (the global normalisation, or none). */
  potentialMap: IntensityMap = new IntensityMap();
  /** Global 2 % quantile of the median-corrected plane, mapped. */
  q02: f64 = 0;
  /** Global 98 % quantile, mapped. */
  q98: f64 = 1;
}

/** 1 where a pixel is background (u8, caller frees). */
function backgroundMask(
  inp: CytosolInputs,
  nuc: NucleusResult,
  frame: TileFrame,
  p: CytosolParams,
): usize {
  const n = frame.size;
  const table = mapTable(inp.backgroundMap);
  const b = heap.alloc(<usize> max(n, 1));
  for (let i = 0; i < n; i++) {
    const v = unchecked(table[load<u16>(inp.backgroundPlane + (<usize> i << 1))]);
    const bg = v < inp.threshold && load<u8>(nuc.mask + <usize> i) == 0;
    store<u8>(b + <usize> i, bg ? 1 : 0);
  }
  const grown = heap.alloc(<usize> max(n, 1));
  binaryDilate(b, grown, frame.height, frame.width, diskHalfWidths(p.erosion));
  binaryErode(grown, b, frame.height, frame.width, diskHalfWidths(p.dilation));
  heap.free(grown);
  return b;
}

/** The clipped, rescaled potential as a speed in [0.1, 1]. */
function finish(x: f64, p: CytosolParams): f64 {
  const c = x < p.minClip ? p.minClip : x > p.maxClip ? p.maxClip : x;
  return ((c - p.minClip) / (p.maxClip - p.minClip)) * 0.9 + 0.1;
}

/** Speed (f64 per pixel) into `speed`: `0.9 · P + 0.1` of the potential map. */
function speedMap(
  inp: CytosolInputs,
  nuc: NucleusResult,
  frame: TileFrame,
  p: CytosolParams,
  speed: usize,
): void {
  const n = frame.size;
  const w = mapTable(inp.potentialMap);
  const table = new StaticArray<f64>(65536);
  for (let v = 0; v < 65536; v++) {
    let x = (unchecked(w[v]) - inp.q02) / inp.q98;
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    unchecked(table[v] = finish(1 - x, p));
  }
  const nucleusSpeed = finish(1, p); // clip(P - 1, 0, 1) = 0, inverted to 1
  for (let i = 0; i < n; i++) {
    const s = load<u8>(nuc.mask + <usize> i) != 0
      ? nucleusSpeed
      : unchecked(table[load<u16>(inp.potentialPlane + (<usize> i << 1))]);
    store<f64>(speed + (<usize> i << 3), s);
  }
}

/**
 * Segments the cytosol of every nucleus. Returns the cytosol labels and removes, in place, the
 * nuclei left without a cytosol from `nuc.labels`.
 */
export function segmentCytosol(
  inp: CytosolInputs,
  nuc: NucleusResult,
  frame: TileFrame,
  p: CytosolParams,
  filterSize: bool,
): RawArray<u32> {
  const n = frame.size;
  const w = frame.width;
  const cyto = RawArray.zeroed<u32>(n);
  const count = nuc.peaks.count;
  if (count == 0 || n == 0) return cyto;
  const background = backgroundMask(inp, nuc, frame, p);
  // the speed map and the travel time share one plane (fastMarch reads one, then writes the other)
  const time = heap.alloc(<usize> n << 3);
  speedMap(inp, nuc, frame, p, time);
  const seeds = heap.alloc(<usize> n);
  memory.fill(seeds, 0, <usize> n);
  const markers = heap.alloc(<usize> n << 2);
  memory.fill(markers, 0, <usize> n << 2);
  for (let k = 0; k < count; k++) {
    const cy = unchecked(nuc.centreY[k]);
    if (cy < 0) continue;
    const i = <usize> (cy * w + unchecked(nuc.centreX[k]));
    store<u8>(seeds + i, 1);
    store<u32>(markers + (i << 2), load<u32>(nuc.labels.ptr + (i << 2)));
  }
  fastMarch(seeds, background, time, time, frame.height, w, 2);
  heap.free(seeds);
  for (let i = 0; i < n; i++) {
    store<u8>(background + <usize> i, load<u8>(background + <usize> i) ^ 1);
  }
  watershed(time, markers, background, cyto.ptr, frame.height, w, 1, true);
  heap.free(time);
  heap.free(markers);
  heap.free(background);
  filterMask(cyto, frame, p.filters, filterSize);
  // nuclei without a cytosol are dropped (cytosol ids are nucleus ids)
  const counts = heap.alloc(<usize> (count + 1) << 2);
  labelCounts(cyto.ptr, n, counts, <u32> count);
  for (let i = 0; i < n; i++) {
    const v = load<u32>(nuc.labels.ptr + (<usize> i << 2));
    if (v != 0 && (v > <u32> count || load<u32>(counts + (<usize> v << 2)) == 0)) {
      store<u32>(nuc.labels.ptr + (<usize> i << 2), 0);
    }
  }
  heap.free(counts);
  return cyto;
}
