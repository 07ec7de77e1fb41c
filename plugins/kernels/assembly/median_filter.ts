/**
 * Median filter of a u16 plane over a row-run footprint (a disk or a square), with the
 * semantics of `scipy.ndimage.median_filter(footprint=…)` — which is what
 * `skimage.filters.median(img, disk(r))` (mode `nearest`) and `threshold_local(method="median")`
 * (mode `reflect`) call. Out-of-bounds taps are mapped by the border mode and counted, so every
 * window holds exactly `footprintSize` values and the median is the element of rank
 * `size / 2` (the footprints are odd-sized).
 *
 * Huang's sliding histogram: one 65536-bin histogram plus a 256-bin coarse histogram per row
 * sweep; moving one pixel right removes the left edge of every footprint row and adds the new
 * right edge, then the tracked median moves to the new rank. Cost per pixel ≈ 2·(rows) updates.
 *
 * Median filtering of a percentile-normalised image equals normalising the median-filtered raw
 * image (the normalisation is monotone), so plugins filter the raw u16 plane.
 * @module
 */

import { borderIndex } from "./border";
import { footprintSize } from "./disk";

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
  const r = (halfWidths.length - 1) >> 1;
  const rank = footprintSize(halfWidths) >> 1;
  const fine = heap.alloc(65536 << 2);
  const coarse = heap.alloc(256 << 2);
  const rowIdx = heap.alloc(<usize> (2 * r + 1) << 2);
  // column lookup table for x in [-maxW, width + maxW]
  let maxW = 0;
  for (let i = 0; i < halfWidths.length; i++) maxW = max(maxW, unchecked(halfWidths[i]));
  const colLen = width + 2 * maxW + 2;
  const colIdx = heap.alloc(<usize> colLen << 2);
  for (let x = -maxW - 1; x <= width + maxW; x++) {
    store<i32>(colIdx + (<usize> (x + maxW + 1) << 2), borderIndex(x, width, mode));
  }
  for (let y = 0; y < height; y++) {
    memory.fill(fine, 0, 65536 << 2);
    memory.fill(coarse, 0, 256 << 2);
    for (let k = 0; k <= 2 * r; k++) {
      store<i32>(rowIdx + (<usize> k << 2), borderIndex(y + k - r, height, mode));
    }
    // initial window at x = 0
    for (let k = 0; k <= 2 * r; k++) {
      const row = src + ((<usize> load<i32>(rowIdx + (<usize> k << 2)) * <usize> width) << 1);
      const w = unchecked(halfWidths[k]);
      for (let dx = -w; dx <= w; dx++) {
        const cx = load<i32>(colIdx + (<usize> (dx + maxW + 1) << 2));
        const v = <usize> load<u16>(row + (<usize> cx << 1));
        store<i32>(fine + (v << 2), load<i32>(fine + (v << 2)) + 1);
        store<i32>(coarse + ((v >> 8) << 2), load<i32>(coarse + ((v >> 8) << 2)) + 1);
      }
    }
    // find the median from scratch: m with below(m) <= rank < below(m) + fine[m]
    let below = 0;
    let b = 0;
    while (below + load<i32>(coarse + (<usize> b << 2)) <= rank) {
      below += load<i32>(coarse + (<usize> b << 2));
      b++;
    }
    let m = b << 8;
    while (below + load<i32>(fine + (<usize> m << 2)) <= rank) {
      below += load<i32>(fine + (<usize> m << 2));
      m++;
    }
    const out = dst + ((<usize> y * <usize> width) << 1);
    store<u16>(out, <u16> m);
    for (let x = 1; x < width; x++) {
      for (let k = 0; k <= 2 * r; k++) {
        const row = src + ((<usize> load<i32>(rowIdx + (<usize> k << 2)) * <usize> width) << 1);
        const w = unchecked(halfWidths[k]);
        const xo = load<i32>(colIdx + (<usize> (x - w - 1 + maxW + 1) << 2));
        const xi = load<i32>(colIdx + (<usize> (x + w + maxW + 1) << 2));
        const vo = <usize> load<u16>(row + (<usize> xo << 1));
        const vi = <usize> load<u16>(row + (<usize> xi << 1));
        if (vo == vi) continue;
        store<i32>(fine + (vo << 2), load<i32>(fine + (vo << 2)) - 1);
        store<i32>(coarse + ((vo >> 8) << 2), load<i32>(coarse + ((vo >> 8) << 2)) - 1);
        store<i32>(fine + (vi << 2), load<i32>(fine + (vi << 2)) + 1);
        store<i32>(coarse + ((vi >> 8) << 2), load<i32>(coarse + ((vi >> 8) << 2)) + 1);
        below += (<i32> (vi < <usize> m)) - (<i32> (vo < <usize> m));
      }
      // move down while too many values lie below m
      while (below > rank) {
        if ((m & 255) == 0) {
          // skip whole empty coarse bins below
          let cb = (m >> 8) - 1;
          while (load<i32>(coarse + (<usize> cb << 2)) == 0) cb--;
          m = (cb << 8) + 256;
        }
        m--;
        below -= load<i32>(fine + (<usize> m << 2));
      }
      // move up while the rank lies above m's bin
      while (below + load<i32>(fine + (<usize> m << 2)) <= rank) {
        below += load<i32>(fine + (<usize> m << 2));
        m++;
        if ((m & 255) == 0) {
          let cb = m >> 8;
          while (load<i32>(coarse + (<usize> cb << 2)) == 0) cb++;
          m = cb << 8;
        }
      }
      store<u16>(out + (<usize> x << 1), <u16> m);
    }
  }
  heap.free(colIdx);
  heap.free(rowIdx);
  heap.free(coarse);
  heap.free(fine);
}
