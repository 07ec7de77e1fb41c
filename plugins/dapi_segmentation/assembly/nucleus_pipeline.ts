// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * scPortrait's nucleus segmentation (`_ClassicalSegmentation._nucleus_segmentation`, spec §3.3)
 * on one tile: threshold mask (local median or global Otsu), speckle removal, Euclidean
 * distance transform, `peak_local_max`, fast-marching distance inside the dilated mask, marker
 * watershed (label k = peak k), centres before filtering, then edge-label removal, size and
 * contact filters. Each label's anchor is its peak: a position the data fixes, whatever the
 * tiling.
 * @module
 */

import { binaryDilate, binaryErode } from "../../kernels/assembly/binary_morphology";
import { labelCentroidSums } from "../../kernels/assembly/centroids";
import { contactFilter } from "../../kernels/assembly/contact_filter";
import { diskHalfWidths } from "../../kernels/assembly/disk";
import {
  distanceFromSquared,
  squaredDistanceTransform,
} from "../../kernels/assembly/distance_transform";
import { fastMarch } from "../../kernels/assembly/fast_marching";
import { sizeFilter } from "../../kernels/assembly/size_filter";
import { watershed } from "../../kernels/assembly/watershed";
import { RawArray } from "../../sdk/assembly/memory";
import { IntensityMap } from "./intensity_map";
import { MaskFilters, NucleusParams } from "./nucleus_params";
import { removeImageEdgeLabels } from "./image_edge_labels";
import { globalThresholdMask, localThresholdMask } from "./tile_local_threshold";
import { TileFrame } from "./tile_frame";
import { Peaks, tilePeaks } from "./tile_peaks";

/** numpy's `round` (half to even). */
export function roundHalfEven(v: f64): f64 {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return (<i64> f & 1) == 0 ? f : f + 1;
}

/** What the nucleus step hands on (to the output, and to the cytosol step). */
export class NucleusResult {
  /** Labels after edge, size and contact filters (tile-local ids 1..count). */
  labels: RawArray<u32>;
  /** 1 where a nucleus was before filtering (u8, `nucleus_mask` upstream). */
  mask: usize;
  /** Peaks; label k sits at peak k - 1, its anchor. */
  peaks: Peaks;
  /** Rounded centre row (tile-local) of label k at k - 1, before filtering; -1 = no pixels. */
  centreY: StaticArray<i32>;
  /** Rounded centre column, parallel to `centreY`. */
  centreX: StaticArray<i32>;

  constructor(labels: RawArray<u32>, mask: usize, peaks: Peaks) {
    this.labels = labels;
    this.mask = mask;
    this.peaks = peaks;
    this.centreY = new StaticArray<i32>(peaks.count);
    this.centreX = new StaticArray<i32>(peaks.count);
  }

  /** Frees the pre-filter mask (the labels go to the host). */
  disposeMask(): void {
    heap.free(this.mask);
    this.mask = 0;
  }
}

/** Removes speckles: erosion by disk(k), then dilation by disk(k - 1), in place. */
function removeSpeckles(mask: usize, frame: TileFrame, k: i32): void {
  const tmp = heap.alloc(<usize> frame.size);
  binaryErode(mask, tmp, frame.height, frame.width, diskHalfWidths(k));
  binaryDilate(tmp, mask, frame.height, frame.width, diskHalfWidths(k - 1));
  heap.free(tmp);
}

/** Labels from a foreground mask (`_generate_labels_from_mask`). */
function labelsFromMask(
  mask: usize,
  frame: TileFrame,
  p: NucleusParams,
  labels: RawArray<u32>,
): Peaks {
  const h = frame.height;
  const w = frame.width;
  const n = frame.size;
  const sq = heap.alloc(<usize> n << 2);
  squaredDistanceTransform(mask, sq, h, w);
  const dist = heap.alloc(<usize> n << 3);
  distanceFromSquared(sq, dist, n);
  heap.free(sq);
  const peaks = tilePeaks(dist, frame, p.minDistance, p.peakFootprint);
  const dilated = heap.alloc(<usize> n);
  binaryDilate(mask, dilated, h, w, diskHalfWidths(p.dilation));
  const outside = heap.alloc(<usize> n);
  const seeds = heap.alloc(<usize> n);
  memory.fill(seeds, 0, <usize> n);
  for (let i = 0; i < n; i++) store<u8>(outside + <usize> i, load<u8>(dilated + <usize> i) ^ 1);
  const markers = heap.alloc(<usize> n << 2);
  memory.fill(markers, 0, <usize> n << 2);
  for (let k = 0; k < peaks.count; k++) {
    const i = <usize> (unchecked(peaks.y[k]) * w + unchecked(peaks.x[k]));
    store<u8>(seeds + i, 1);
    store<u32>(markers + (i << 2), <u32> k + 1);
  }
  fastMarch(seeds, outside, 0, dist, h, w, 2);
  heap.free(seeds);
  heap.free(outside);
  watershed(dist, markers, dilated, labels.ptr, h, w, 1, true);
  heap.free(markers);
  heap.free(dilated);
  heap.free(dist);
  return peaks;
}

/** Rounded centres (numba_mask_centroid + np.round) of every label, in the image's frame. */
function centres(r: NucleusResult, frame: TileFrame): void {
  const count = r.peaks.count;
  if (count == 0) return;
  const m = <usize> count + 1;
  const counts = heap.alloc(m << 2);
  const sumY = heap.alloc(m << 3);
  const sumX = heap.alloc(m << 3);
  labelCentroidSums(r.labels.ptr, frame.height, frame.width, <u32> count, counts, sumY, sumX);
  for (let k = 1; k <= count; k++) {
    const c = <f64> load<u32>(counts + (<usize> k << 2));
    let cy = -1;
    let cx = -1;
    if (c > 0) {
      // global coordinate sums (exact integers) divided once, as upstream
      const gy = (load<f64>(sumY + (<usize> k << 3)) + c * <f64> frame.originY) / c;
      const gx = (load<f64>(sumX + (<usize> k << 3)) + c * <f64> frame.originX) / c;
      cy = <i32> roundHalfEven(gy) - frame.originY;
      cx = <i32> roundHalfEven(gx) - frame.originX;
    }
    unchecked(r.centreY[k - 1] = cy);
    unchecked(r.centreX[k - 1] = cx);
  }
  heap.free(sumX);
  heap.free(sumY);
  heap.free(counts);
}

/** Edge-label removal, then the size filter (when on) and the contact filter (when set). */
export function filterMask(
  labels: RawArray<u32>,
  frame: TileFrame,
  filters: MaskFilters,
  filterSize: bool,
): void {
  removeImageEdgeLabels(labels.ptr, frame);
  if (filterSize) {
    sizeFilter(labels.ptr, frame.size, filters.minSize, filters.maxSize, filters.confidence);
  }
  if (!isNaN(filters.contact)) {
    contactFilter(labels.ptr, frame.height, frame.width, filters.contact);
  }
}

/**
 * Segments the nuclei of `plane` (raw u16 of the nucleus channel, median-filtered when
 * configured). `map` turns raw values into scPortrait's normalised values; `otsu` is the
 * global threshold in mapped units (used when the local threshold is not configured).
 */
export function segmentNuclei(
  plane: usize,
  frame: TileFrame,
  map: IntensityMap,
  otsu: f64,
  p: NucleusParams,
  filterSize: bool,
): NucleusResult {
  const n = frame.size;
  const mask = heap.alloc(<usize> max(n, 1));
  if (p.local) {
    localThresholdMask(plane, frame, map, p.threshold, p.medianBlock, p.medianStep, mask);
  } else {
    globalThresholdMask(plane, n, map, otsu, mask);
  }
  removeSpeckles(mask, frame, p.speckleKernel);
  const labels = RawArray.zeroed<u32>(n);
  const peaks = labelsFromMask(mask, frame, p, labels);
  for (let i = 0; i < n; i++) {
    store<u8>(mask + <usize> i, load<u32>(labels.ptr + (<usize> i << 2)) != 0 ? 1 : 0);
  }
  const r = new NucleusResult(labels, mask, peaks);
  centres(r, frame);
  filterMask(labels, frame, p.filters, filterSize);
  return r;
}
