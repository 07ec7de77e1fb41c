// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * scPortrait's local threshold (`segment_local_threshold`) computed for a tile in the image's
 * frame, so the core of every tile gets the threshold of the whole image:
 * - `img[::step, ::step]` samples the pixels whose *global* row and column are multiples of
 *   `step` (the tile's own origin does not shift the sampling grid);
 * - the block median runs on the tile's share of that grid (`median_filter.ts`, square
 *   footprint, mode `reflect`), then `+ threshold` (`threshold_local(offset=-threshold)`);
 * - the bilinear `resize(T_ds, image.shape)` maps global pixel `y` to grid coordinate
 *   `(y + 0.5) · ceil(H/step) / H - 0.5` (pixel-centre aligned, mirror boundary at the image's
 *   grid edges), as the kernels' `resizeBilinear` does for a whole image.
 * Near a tile side inside the image the block median sees less context: the halo must cover
 * `(median_block // 2) · median_step` pixels plus a cell for the core to be exact.
 * @module
 */

import { squareHalfWidths } from "../../kernels/assembly/disk";
import { BORDER_REFLECT } from "../../kernels/assembly/border";
import { medianFilterU16 } from "../../kernels/assembly/median_filter";
import { IntensityMap, mapTable } from "./intensity_map";
import { TileFrame } from "./tile_frame";

function mirror(i: i32, n: i32): i32 {
  if (n == 1) return 0;
  const period = 2 * n - 2;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - k;
}

function ceilDiv(a: i32, b: i32): i32 {
  return (a + b - 1) / b;
}

/** Per output index: the two grid indices (tile-local, clamped) and the weight of the second. */
class Axis {
  i0: StaticArray<i32>;
  i1: StaticArray<i32>;
  f: StaticArray<f64>;

  constructor(n: i32, origin: i32, imageN: i32, step: i32, first: i32, count: i32) {
    this.i0 = new StaticArray<i32>(n);
    this.i1 = new StaticArray<i32>(n);
    this.f = new StaticArray<f64>(n);
    const gridN = ceilDiv(imageN, step);
    const zoom = <f64> gridN / <f64> imageN;
    for (let k = 0; k < n; k++) {
      const c = (<f64> (origin + k) + 0.5) * zoom - 0.5;
      const fl = Math.floor(c);
      const a = mirror(<i32> fl, gridN) - first;
      const b = mirror(<i32> fl + 1, gridN) - first;
      unchecked(this.i0[k] = a < 0 ? 0 : a >= count ? count - 1 : a);
      unchecked(this.i1[k] = b < 0 ? 0 : b >= count ? count - 1 : b);
      unchecked(this.f[k] = c - fl);
    }
  }
}

/**
 * Writes the foreground mask `value > T` (u8 at `mask`) of the tile, where `plane` holds the
 * raw u16 values (median-filtered if configured) and `map` turns them into the values
 * scPortrait thresholds. `T` is the block median + `threshold` of the step-sampled image,
 * bilinearly upsampled.
 */
export function localThresholdMask(
  plane: usize,
  frame: TileFrame,
  map: IntensityMap,
  threshold: f64,
  block: i32,
  step: i32,
  mask: usize,
): void {
  const h = frame.height;
  const w = frame.width;
  // grid rows/columns whose global index is a multiple of step, inside the tile
  const gy0 = ceilDiv(frame.originY, step);
  const gx0 = ceilDiv(frame.originX, step);
  const gh = max((frame.originY + h - 1) / step - gy0 + 1, 1);
  const gw = max((frame.originX + w - 1) / step - gx0 + 1, 1);
  const grid = heap.alloc(<usize> gh * <usize> gw << 1);
  for (let a = 0; a < gh; a++) {
    const ly = min(max((gy0 + a) * step - frame.originY, 0), h - 1);
    for (let b = 0; b < gw; b++) {
      const lx = min(max((gx0 + b) * step - frame.originX, 0), w - 1);
      store<u16>(
        grid + ((<usize> a * <usize> gw + <usize> b) << 1),
        load<u16>(plane + ((<usize> ly * <usize> w + <usize> lx) << 1)),
      );
    }
  }
  const med = heap.alloc(<usize> gh * <usize> gw << 1);
  medianFilterU16(grid, med, gh, gw, squareHalfWidths((block - 1) >> 1), BORDER_REFLECT);
  heap.free(grid);
  const table = mapTable(map);
  const isFloat = map.isFloat;
  // T_ds in the image's float type: float32 after a normalisation, float64 for raw values
  const t = heap.alloc(<usize> gh * <usize> gw << 3);
  for (let i = 0; i < gh * gw; i++) {
    const v = unchecked(table[load<u16>(med + (<usize> i << 1))]);
    const tv = isFloat ? <f64> (<f32> v + <f32> threshold) : v + threshold;
    store<f64>(t + (<usize> i << 3), tv);
  }
  heap.free(med);
  const ys = new Axis(h, frame.originY, frame.imageHeight, step, gy0, gh);
  const xs = new Axis(w, frame.originX, frame.imageWidth, step, gx0, gw);
  for (let y = 0; y < h; y++) {
    const fy = unchecked(ys.f[y]);
    const r0 = t + ((<usize> unchecked(ys.i0[y]) * <usize> gw) << 3);
    const r1 = t + ((<usize> unchecked(ys.i1[y]) * <usize> gw) << 3);
    const src = plane + ((<usize> y * <usize> w) << 1);
    const out = mask + <usize> y * <usize> w;
    for (let x = 0; x < w; x++) {
      const a = <usize> unchecked(xs.i0[x]) << 3;
      const b = <usize> unchecked(xs.i1[x]) << 3;
      const fx = unchecked(xs.f[x]);
      const top = load<f64>(r0 + a) * (1 - fx) + load<f64>(r0 + b) * fx;
      const bot = load<f64>(r1 + a) * (1 - fx) + load<f64>(r1 + b) * fx;
      let tv = top * (1 - fy) + bot * fy;
      if (isFloat) tv = <f64> <f32> tv;
      const v = unchecked(table[load<u16>(src + (<usize> x << 1))]);
      store<u8>(out + <usize> x, v > tv ? 1 : 0);
    }
  }
  heap.free(t);
}

/** Writes `value > threshold` (u8 at `mask`) for a global threshold. */
export function globalThresholdMask(
  plane: usize,
  n: i32,
  map: IntensityMap,
  threshold: f64,
  mask: usize,
): void {
  const table = mapTable(map);
  for (let i = 0; i < n; i++) {
    const v = unchecked(table[load<u16>(plane + (<usize> i << 1))]);
    store<u8>(mask + <usize> i, v > threshold ? 1 : 0);
  }
}
