// deno-lint-ignore-file -- AssemblyScript source compiled by the test harness, not by Deno
/**
 * Test harness entry: thin exports over the kernels in plugins/kernels/assembly, taking raw
 * pointers the test allocates with `alloc`. Compiled in-process by `_harness.ts`.
 */

import { diskHalfWidths, squareHalfWidths } from "../../../../plugins/kernels/assembly/disk";
import { normalizeU16 } from "../../../../plugins/kernels/assembly/normalize";
import { medianFilterU16 } from "../../../../plugins/kernels/assembly/median_filter";
import { histogramU16, otsuFromU16Histogram } from "../../../../plugins/kernels/assembly/otsu";
import { binaryDilate, binaryErode } from "../../../../plugins/kernels/assembly/binary_morphology";
import {
  distanceFromSquared,
  squaredDistanceTransform,
} from "../../../../plugins/kernels/assembly/distance_transform";
import { peakLocalMax } from "../../../../plugins/kernels/assembly/peak_local_max";
import { fastMarch } from "../../../../plugins/kernels/assembly/fast_marching";
import { watershed } from "../../../../plugins/kernels/assembly/watershed";
import { labelComponents } from "../../../../plugins/kernels/assembly/label_components";
import { removeEdgeLabels } from "../../../../plugins/kernels/assembly/edge_labels";
import { labelCentroidSums } from "../../../../plugins/kernels/assembly/centroids";
import { contactFilter, contactRatios } from "../../../../plugins/kernels/assembly/contact_filter";
import { lognormalThresholds, sizeFilter } from "../../../../plugins/kernels/assembly/size_filter";
import { normalQuantile } from "../../../../plugins/kernels/assembly/normal_quantile";
import { matchNucleusCytosol } from "../../../../plugins/kernels/assembly/match_nucleus_cytosol";
import {
  downsampleU16,
  resizeBilinear,
} from "../../../../plugins/kernels/assembly/local_threshold";

export function abortHandler(m: string | null, f: string | null, l: u32, c: u32): void {
  unreachable();
}

export function alloc(bytes: usize): usize {
  return heap.alloc(max<usize>(bytes, 8));
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

function footprint(radius: i32, square: bool): StaticArray<i32> {
  return square ? squareHalfWidths(radius) : diskHalfWidths(radius);
}

export function diskWidth(radius: i32, dy: i32): i32 {
  return diskHalfWidths(radius)[dy + radius];
}

export function normalize(src: usize, dst: usize, n: i32, lo: f64, hi: f64): void {
  normalizeU16(src, dst, n, lo, hi);
}

export function median(
  src: usize,
  dst: usize,
  h: i32,
  w: i32,
  radius: i32,
  square: bool,
  mode: i32,
): void {
  medianFilterU16(src, dst, h, w, footprint(radius, square), mode);
}

export function otsuU16(src: usize, n: i32, nbins: i32): f64 {
  const hist = heap.alloc(65536 << 2);
  memory.fill(hist, 0, 65536 << 2);
  histogramU16(src, n, hist);
  const t = otsuFromU16Histogram(hist, nbins);
  heap.free(hist);
  return t;
}

export function erode(src: usize, dst: usize, h: i32, w: i32, radius: i32): void {
  binaryErode(src, dst, h, w, diskHalfWidths(radius));
}

export function dilate(src: usize, dst: usize, h: i32, w: i32, radius: i32): void {
  binaryDilate(src, dst, h, w, diskHalfWidths(radius));
}

export function edtSquared(mask: usize, out: usize, h: i32, w: i32): void {
  squaredDistanceTransform(mask, out, h, w);
}

export function edt(mask: usize, out: usize, h: i32, w: i32): void {
  const n = <usize> h * <usize> w;
  const sq = heap.alloc(n << 2);
  squaredDistanceTransform(mask, sq, h, w);
  distanceFromSquared(sq, out, h * w);
  heap.free(sq);
}

export function peaks(
  image: usize,
  h: i32,
  w: i32,
  minDistance: i32,
  radius: i32,
  out: usize,
  maxPeaks: i32,
): i32 {
  return peakLocalMax(image, h, w, minDistance, diskHalfWidths(radius), -1, out, maxPeaks);
}

export function fmm(
  seeds: usize,
  mask: usize,
  speed: usize,
  out: usize,
  h: i32,
  w: i32,
  order: i32,
): void {
  fastMarch(seeds, mask, speed, out, h, w, order);
}

export function flood(
  image: usize,
  markers: usize,
  mask: usize,
  out: usize,
  h: i32,
  w: i32,
  conn: i32,
): void {
  watershed(image, markers, mask, out, h, w, conn);
}

export function floodRaster(
  image: usize,
  markers: usize,
  mask: usize,
  out: usize,
  h: i32,
  w: i32,
  conn: i32,
): void {
  watershed(image, markers, mask, out, h, w, conn, true);
}

export function label(mask: usize, out: usize, h: i32, w: i32, conn: i32): u32 {
  return labelComponents(mask, out, h, w, conn);
}

export function edgeRemove(labels: usize, h: i32, w: i32): void {
  removeEdgeLabels(labels, h, w);
}

export function centroidSums(
  labels: usize,
  h: i32,
  w: i32,
  maxId: u32,
  counts: usize,
  sy: usize,
  sx: usize,
): void {
  labelCentroidSums(labels, h, w, maxId, counts, sy, sx);
}

export function ratios(labels: usize, h: i32, w: i32, maxId: u32, out: usize): void {
  contactRatios(labels, h, w, maxId, out);
}

export function contact(labels: usize, h: i32, w: i32, threshold: f64): i32 {
  return contactFilter(labels, h, w, threshold);
}

export function sizeFilt(labels: usize, n: i32, lo: f64, hi: f64, ci: f64): i32 {
  return sizeFilter(labels, n, lo, hi, ci);
}

export function lognormal(counts: usize, maxId: u32, ci: f64, out: usize): void {
  lognormalThresholds(counts, maxId, ci, out);
}

export function ppf(p: f64): f64 {
  return normalQuantile(p);
}

export function match(nuc: usize, cyto: usize, n: i32, threshold: f64): i32 {
  return matchNucleusCytosol(nuc, cyto, n, threshold);
}

export function downsample(src: usize, dst: usize, h: i32, w: i32, step: i32): void {
  downsampleU16(src, dst, h, w, step);
}

export function resize(src: usize, ih: i32, iw: i32, dst: usize, oh: i32, ow: i32): void {
  resizeBilinear(src, ih, iw, dst, oh, ow);
}
