/**
 * Median filter of a u16 plane over a row-run footprint (a disk or a square), with the
 * semantics of `scipy.ndimage.median_filter(footprint=…)` — which is what
 * `skimage.filters.median(img, disk(r))` (mode `nearest`) and `threshold_local(method="median")`
 * (mode `reflect`) call. Out-of-bounds taps are mapped by the border mode and counted, so every
 * window holds exactly `footprintSize` values and the median is the element of rank
 * `size / 2` (the footprints are odd-sized).
 *
 * Huang's sliding histogram: one 65536-bin histogram plus 4096 coarse bins of 16; moving one pixel
 * right removes the left edge of every footprint row and adds the new right edge, then the
 * tracked median steps to the new rank bin by bin, skipping whole coarse bins that cannot hold
 * it (on noisy images the median moves by dozens of values per pixel; 256 coarse bins of 256,
 * skipped only when empty, made that walk the filter's main cost).
 * Cost per pixel ≈ 2·(rows) updates plus the steps. Each row is its own call (so V8 optimises the
 * loop after the first rows, even on the first call) and leaves the histogram empty again (no
 * per-row clearing of the 256 KiB histogram).
 *
 * Footprints of up to 255 pixels (disks up to radius 9, squares up to 15 × 15) go to the SIMD
 * radix selection of `median_simd.ts` instead: same output, 1.5–5× faster on 2048² tiles (D74).
 *
 * Median filtering of a percentile-normalised image equals normalising the median-filtered raw
 * image (the normalisation is monotone), so plugins filter the raw u16 plane.
 * @module
 */

import { borderIndex } from "./border";
import { footprintSize } from "./disk";
import { medianSimdU16, simdMedianAccepts } from "./median_simd";

/** Fine bins per coarse bin: 2^COARSE_SHIFT. */
const COARSE_SHIFT: i32 = 4;
const COARSE_MASK: i32 = (1 << COARSE_SHIFT) - 1;
const COARSE_BINS: i32 = 65536 >> COARSE_SHIFT;

/**
 * Filters `src` (u16, `height * width`) into `dst` (u16, same size, must not alias).
 * `halfWidths[dy + r]` is the footprint's half-width on row `dy` (see `disk.ts`).
 */
export function medianFilterU16(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
  mode: i32,
): void {
  if (height <= 0 || width <= 0) return;
  if (simdMedianAccepts(halfWidths)) {
    medianSimdU16(src, dst, height, width, halfWidths, mode);
    return;
  }
  const rows = halfWidths.length;
  const r = (rows - 1) >> 1;
  const rank = footprintSize(halfWidths) >> 1;
  const fine = heap.alloc(65536 << 2);
  memory.fill(fine, 0, 65536 << 2);
  const coarse = heap.alloc(COARSE_BINS << 2);
  memory.fill(coarse, 0, COARSE_BINS << 2);
  const rowPtr = heap.alloc(<usize> rows << 2);
  const widths = heap.alloc(<usize> rows << 2);
  for (let k = 0; k < rows; k++) store<i32>(widths + (<usize> k << 2), unchecked(halfWidths[k]));
  // column lookup table for x in [-maxW - 1, width + maxW]
  let maxW = 0;
  for (let i = 0; i < rows; i++) maxW = max(maxW, unchecked(halfWidths[i]));
  const colLen = width + 2 * maxW + 2;
  const colIdx = heap.alloc(<usize> colLen << 2);
  for (let x = -maxW - 1; x <= width + maxW; x++) {
    store<i32>(colIdx + (<usize> (x + maxW + 1) << 2), borderIndex(x, width, mode));
  }
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < rows; k++) {
      const yy = borderIndex(y + k - r, height, mode);
      store<usize>(rowPtr + (<usize> k << 2), src + ((<usize> yy * <usize> width) << 1));
    }
    medianRow(
      fine,
      coarse,
      rowPtr,
      widths,
      rows,
      colIdx + (<usize> (maxW + 1) << 2),
      maxW,
      width,
      rank,
      dst + ((<usize> y * <usize> width) << 1),
    );
  }
  heap.free(colIdx);
  heap.free(widths);
  heap.free(rowPtr);
  heap.free(coarse);
  heap.free(fine);
}

function bump(fine: usize, coarse: usize, v: usize, d: i32): void {
  const f = fine + (v << 2);
  store<i32>(f, load<i32>(f) + d);
  const c = coarse + ((v >> COARSE_SHIFT) << 2);
  store<i32>(c, load<i32>(c) + d);
}

/**
 * One output row: `rowPtr[k]` are the source rows of the footprint rows, `widths[k]` their
 * half-widths, `col[x]` the border-mapped column of x (valid for x in [-maxW - 1, width + maxW]).
 * The histogram is empty on entry and on exit.
 */
function medianRow(
  fine: usize,
  coarse: usize,
  rowPtr: usize,
  widths: usize,
  rows: i32,
  col: usize,
  maxW: i32,
  width: i32,
  rank: i32,
  out: usize,
): void {
  for (let k = 0; k < rows; k++) {
    const row = load<usize>(rowPtr + (<usize> k << 2));
    const w = load<i32>(widths + (<usize> k << 2));
    for (let dx = -w; dx <= w; dx++) {
      const v = <usize> load<u16>(row + (<usize> load<i32>(col + <usize> (dx << 2)) << 1));
      bump(fine, coarse, v, 1);
    }
  }
  // the median from scratch: m with below(m) <= rank < below(m) + fine[m]
  let below = 0;
  let cb = 0;
  while (below + load<i32>(coarse + (<usize> cb << 2)) <= rank) {
    below += load<i32>(coarse + (<usize> cb << 2));
    cb++;
  }
  let m = cb << COARSE_SHIFT;
  while (below + load<i32>(fine + (<usize> m << 2)) <= rank) {
    below += load<i32>(fine + (<usize> m << 2));
    m++;
  }
  store<u16>(out, <u16> m);
  for (let x = 1; x < width; x++) {
    const interior = x > maxW && x + maxW < width;
    for (let k = 0; k < rows; k++) {
      const row = load<usize>(rowPtr + (<usize> k << 2));
      const w = load<i32>(widths + (<usize> k << 2));
      let xo = x - w - 1;
      let xi = x + w;
      if (!interior) {
        xo = load<i32>(col + <usize> (xo << 2));
        xi = load<i32>(col + <usize> (xi << 2));
      }
      const vo = <usize> load<u16>(row + (<usize> xo << 1));
      const vi = <usize> load<u16>(row + (<usize> xi << 1));
      if (vo == vi) continue;
      bump(fine, coarse, vo, -1);
      bump(fine, coarse, vi, 1);
      below += (<i32> (vi < <usize> m)) - (<i32> (vo < <usize> m));
    }
    // move down while too many values lie below m (whole coarse bins at a time where possible)
    while (below > rank) {
      if ((m & COARSE_MASK) == 0) {
        let c = (m >> COARSE_SHIFT) - 1;
        let cc = load<i32>(coarse + (<usize> c << 2));
        while (below - cc > rank) {
          below -= cc;
          c--;
          cc = load<i32>(coarse + (<usize> c << 2));
        }
        m = (c + 1) << COARSE_SHIFT;
      }
      m--;
      below -= load<i32>(fine + (<usize> m << 2));
    }
    // move up while the rank lies above m's bin
    while (below + load<i32>(fine + (<usize> m << 2)) <= rank) {
      below += load<i32>(fine + (<usize> m << 2));
      m++;
      if ((m & COARSE_MASK) == 0) {
        let c = m >> COARSE_SHIFT;
        let cc = load<i32>(coarse + (<usize> c << 2));
        while (below + cc <= rank) {
          below += cc;
          c++;
          cc = load<i32>(coarse + (<usize> c << 2));
        }
        m = c << COARSE_SHIFT;
      }
    }
    store<u16>(out + (<usize> x << 1), <u16> m);
  }
  // empty the histogram: remove the last window
  for (let k = 0; k < rows; k++) {
    const row = load<usize>(rowPtr + (<usize> k << 2));
    const w = load<i32>(widths + (<usize> k << 2));
    for (let dx = -w; dx <= w; dx++) {
      const at = <usize> load<i32>(col + <usize> ((width - 1 + dx) << 2));
      bump(fine, coarse, <usize> load<u16>(row + (at << 1)), -1);
    }
  }
}
