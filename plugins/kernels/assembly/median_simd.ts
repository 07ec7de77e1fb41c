/**
 * Exact median filter of a u16 plane for small row-run footprints (at most
 * {@link SIMD_MEDIAN_MAX_TAPS} pixels), computing 16 output pixels at once with wasm SIMD:
 * same result as the sliding histogram of `median_filter.ts` (the element of rank `size / 2` of
 * the border-mapped footprint values), without its per-pixel histogram walk.
 *
 * Method: values are offset by the plane's minimum and split into a high byte
 * `(v - min) >> s` and a low part `(v - min) & (2^s - 1)`, with `s` the smallest shift that makes
 * the high part fit a byte (so planes whose range is below 256 have no low part). Each output
 * pixel is a u8 lane; its median's high byte is found bit by bit (radix selection: the largest
 * `t` with fewer than `rank + 1` footprint values below `t`, one counting pass over the footprint
 * per bit), then its low part the same way among the footprint values after mapping those with a
 * smaller high byte to 0 and those with a larger one to 255 (the median lies among the values
 * sharing its high byte, and the mapping keeps their order and the counts below them).
 * High-byte bits that all footprint values of a 16-pixel block share (smooth regions) are
 * known without counting. Cost per pixel ∝ (footprint size) × (bits searched) / 16, with no
 * branches on single pixel values — no histogram walk that grows with the local contrast.
 *
 * Border modes are applied by building padded copies of the rows (any mode of `border.ts`,
 * per axis as `scipy.ndimage` does), kept in a ring of `2r + 1` rows.
 * Bytes are stored with their top bit flipped so unsigned order becomes signed order (`i8x16.lt_s`
 * is one instruction on x64, `lt_u` is not).
 * @module
 */

import { borderIndex } from "./border";
import { footprintSize } from "./disk";

/** Largest footprint (pixel count) the SIMD filter takes: per-lane counts must fit a u8. */
export const SIMD_MEDIAN_MAX_TAPS: i32 = 255;

/** Lanes (output pixels) per block. */
const LANES: i32 = 16;

/** Whether {@link medianSimdU16} handles the footprint `halfWidths`. */
export function simdMedianAccepts(halfWidths: StaticArray<i32>): bool {
  return footprintSize(halfWidths) <= SIMD_MEDIAN_MAX_TAPS;
}

/**
 * Filters `src` (u16, `height * width`) into `dst` (u16, same size, must not alias) with the
 * footprint rows `halfWidths` (odd length, see `disk.ts`) and border `mode` (see `border.ts`).
 * Requires {@link simdMedianAccepts}.
 */
export function medianSimdU16(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
  mode: i32,
): void {
  if (height <= 0 || width <= 0) return;
  const rows = halfWidths.length;
  const r = (rows - 1) >> 1;
  let maxW = 0;
  for (let k = 0; k < rows; k++) maxW = max(maxW, unchecked(halfWidths[k]));
  const taps = footprintSize(halfWidths);
  const rank = taps >> 1;
  // value range: the high part gets the top 8 bits of (v - min), the low part the rest
  // (per-row calls, so V8 optimises the scan during the first call)
  const extremes = heap.alloc(32);
  v128.store(extremes, i16x8.splat(-1));
  v128.store(extremes, i16x8.splat(0), 16);
  for (let y = 0; y < height; y++) {
    rowExtremes(src + ((<usize> y * <usize> width) << 1), width, extremes);
  }
  let lo = 0xffff;
  let hi = 0;
  for (let j = 0; j < 8; j++) {
    lo = min(lo, <i32> load<u16>(extremes + (<usize> j << 1)));
    hi = max(hi, <i32> load<u16>(extremes + (<usize> j << 1), 16));
  }
  heap.free(extremes);
  const range = hi - lo;
  const bits = 32 - clz(range);
  const shift = max(0, bits - 8);
  // padded rows: x in [0, width + 2 maxW) maps to column x - maxW, plus LANES bytes of slack
  const stride = (<usize> (width + 2 * maxW + LANES + 15)) & ~(<usize> 15);
  const ring = heap.alloc(stride * <usize> rows * 2);
  const lowOffset = stride * <usize> rows;
  memory.fill(ring, 0x7f, stride * <usize> rows * 2);
  const colMap = heap.alloc(<usize> (width + 2 * maxW) << 2);
  for (let x = 0; x < width + 2 * maxW; x++) {
    store<i32>(colMap + (<usize> x << 2), borderIndex(x - maxW, width, mode));
  }
  // per-row tap addresses (high bytes; low bytes at + lowOffset); slots padded to a multiple of 4
  const slots = (taps + 3) & ~3;
  const tapAt = heap.alloc(<usize> slots << 2);
  const scratch = heap.alloc(<usize> slots << 5);
  memory.fill(scratch, 0x7f, <usize> slots << 5);
  const outRow = heap.alloc(<usize> (width + LANES) << 1);
  // padded row p enters the ring; once the footprint's last row is in, output row p - 2r follows
  for (let p = 0; p < height + 2 * r; p++) {
    const ringRow = ring + <usize> (p % rows) * stride;
    padRow(src, ringRow, lowOffset, p, r, height, width, maxW, colMap, mode, lo, shift);
    const y = p - 2 * r;
    if (y < 0) continue;
    let t = 0;
    for (let k = 0; k < rows; k++) {
      const w = unchecked(halfWidths[k]);
      const base = ring + <usize> ((y + k) % rows) * stride + <usize> maxW;
      for (let dx = -w; dx <= w; dx++) {
        store<u32>(tapAt + (<usize> t << 2), <u32> (base + dx));
        t++;
      }
    }
    medianRow(tapAt, taps, slots, scratch, lowOffset, width, rank, bits, shift, lo, outRow);
    memory.copy(dst + ((<usize> y * <usize> width) << 1), outRow, <usize> width << 1);
  }
  heap.free(outRow);
  heap.free(scratch);
  heap.free(tapAt);
  heap.free(colMap);
  heap.free(ring);
}

/** Folds a row's values into the lane-wise minimum (`acc`) and maximum (`acc + 16`), u16. */
function rowExtremes(row: usize, width: i32, acc: usize): void {
  let lowest = v128.load(acc);
  let highest = v128.load(acc, 16);
  let x = 0;
  for (; x + 8 <= width; x += 8) {
    const v = v128.load(row + (<usize> x << 1));
    lowest = i16x8.min_u(lowest, v);
    highest = i16x8.max_u(highest, v);
  }
  for (; x < width; x++) {
    const v = i16x8.splat(load<u16>(row + (<usize> x << 1)));
    lowest = i16x8.min_u(lowest, v);
    highest = i16x8.max_u(highest, v);
  }
  v128.store(acc, lowest);
  v128.store(acc, highest, 16);
}

/** Padded row `p` (source row `p - r` mapped by `mode`) as biased high and low bytes. */
function padRow(
  src: usize,
  dstHigh: usize,
  lowOffset: usize,
  p: i32,
  r: i32,
  height: i32,
  width: i32,
  maxW: i32,
  colMap: usize,
  mode: i32,
  lo: i32,
  shift: i32,
): void {
  const row = src + ((<usize> borderIndex(p - r, height, mode) * <usize> width) << 1);
  const mask = (1 << shift) - 1;
  // the row's own pixels, 16 at a time (they map to themselves in every mode)
  const loV = i16x8.splat(<i16> lo);
  const maskV = i16x8.splat(<i16> mask);
  const bias = i8x16.splat(-128);
  const blocks = width & ~15;
  for (let x = 0; x < blocks; x += 16) {
    const a = i16x8.sub(v128.load(row + (<usize> x << 1)), loV);
    const b = i16x8.sub(v128.load(row + (<usize> x << 1), 16), loV);
    const at = dstHigh + <usize> (x + maxW);
    v128.store(
      at,
      v128.xor(i8x16.narrow_i16x8_u(i16x8.shr_u(a, shift), i16x8.shr_u(b, shift)), bias),
    );
    v128.store(
      at + lowOffset,
      v128.xor(i8x16.narrow_i16x8_u(v128.and(a, maskV), v128.and(b, maskV)), bias),
    );
  }
  // border columns and the tail through the column map
  const end = width + 2 * maxW;
  for (let x = 0; x < end; x++) {
    if (x == maxW && blocks > 0) {
      x += blocks - 1;
      continue;
    }
    const v = <i32> load<u16>(row + (<usize> load<i32>(colMap + (<usize> x << 2)) << 1)) - lo;
    store<u8>(dstHigh + <usize> x, <u8> ((v >> shift) ^ 0x80));
    store<u8>(dstHigh + lowOffset + <usize> x, <u8> ((v & mask) ^ 0x80));
  }
}

/** Number of the 4-padded `slots` scratch vectors below `t` (biased), per lane. */
function countBelow(scratch: usize, slots: i32, t: v128): v128 {
  let c0 = i8x16.splat(0);
  let c1 = i8x16.splat(0);
  let c2 = i8x16.splat(0);
  let c3 = i8x16.splat(0);
  const end = scratch + (<usize> slots << 4);
  for (let q = scratch; q < end; q += 64) {
    c0 = i8x16.sub(c0, i8x16.lt_s(v128.load(q), t));
    c1 = i8x16.sub(c1, i8x16.lt_s(v128.load(q, 16), t));
    c2 = i8x16.sub(c2, i8x16.lt_s(v128.load(q, 32), t));
    c3 = i8x16.sub(c3, i8x16.lt_s(v128.load(q, 48), t));
  }
  return i8x16.add(i8x16.add(c0, c1), i8x16.add(c2, c3));
}

/** Radix selection of `nbits` bits: per lane, the largest t with at most `rank` values below. */
function selectBits(scratch: usize, slots: i32, nbits: i32, rankV: v128, start: i32): v128 {
  const bias = i8x16.splat(-128);
  let res = i8x16.splat(<i8> start);
  for (let b = nbits - 1; b >= 0; b--) {
    const cand = v128.or(res, i8x16.splat(<i8> (<i32> 1 << b)));
    const count = countBelow(scratch, slots, v128.xor(cand, bias));
    res = v128.bitselect(cand, res, i8x16.le_u(count, rankV));
  }
  return res;
}

/** Smallest lane of `v` (signed bytes). */
function laneMin(v: v128): i32 {
  v = i8x16.min_s(v, i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v = i8x16.min_s(v, i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3));
  v = i8x16.min_s(v, i8x16.shuffle(v, v, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1));
  v = i8x16.min_s(v, i8x16.shuffle(v, v, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0));
  return i8x16.extract_lane_s(v, 0);
}

/** Largest lane of `v` (signed bytes). */
function laneMax(v: v128): i32 {
  v = i8x16.max_s(v, i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  v = i8x16.max_s(v, i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3));
  v = i8x16.max_s(v, i8x16.shuffle(v, v, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1));
  v = i8x16.max_s(v, i8x16.shuffle(v, v, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0));
  return i8x16.extract_lane_s(v, 0);
}

/** One output row into `out` (u16, `width` rounded up to 16 lanes). */
function medianRow(
  tapAt: usize,
  taps: i32,
  slots: i32,
  scratch: usize,
  lowOffset: usize,
  width: i32,
  rank: i32,
  bits: i32,
  shift: i32,
  lo: i32,
  out: usize,
): void {
  const rankV = i8x16.splat(<i8> rank);
  const bias = i8x16.splat(-128);
  const top = i8x16.splat(0x7f);
  const highBits = bits - shift;
  const loV = i16x8.splat(<i16> lo);
  const lowScratch = scratch + (<usize> slots << 4);
  for (let x0 = 0; x0 < width; x0 += LANES) {
    // gather the high bytes, with the block's smallest and largest: bits they share are known
    let mn = i8x16.splat(0x7f);
    let mx = i8x16.splat(-128);
    for (let i = 0; i < taps; i++) {
      const v = v128.load(<usize> load<u32>(tapAt + (<usize> i << 2)) + <usize> x0);
      v128.store(scratch + (<usize> i << 4), v);
      mn = i8x16.min_s(mn, v);
      mx = i8x16.max_s(mx, v);
    }
    const lowest = (laneMin(mn) ^ 0x80) & 0xff;
    const free = min(highBits, 32 - clz(lowest ^ ((laneMax(mx) ^ 0x80) & 0xff)));
    const start = lowest & ~((1 << free) - 1);
    const high = selectBits(scratch, slots, free, rankV, start);
    let low = i8x16.splat(0);
    if (shift > 0) {
      // low parts: same high byte keeps its low part, smaller → 0, larger → 255 (biased)
      const hb = v128.xor(high, bias);
      for (let i = 0; i < taps; i++) {
        const a = <usize> load<u32>(tapAt + (<usize> i << 2)) + <usize> x0;
        const h = v128.load(scratch + (<usize> i << 4));
        const outside = v128.bitselect(top, bias, i8x16.gt_s(h, hb));
        v128.store(
          lowScratch + (<usize> i << 4),
          v128.bitselect(v128.load(a + lowOffset), outside, i8x16.eq(h, hb)),
        );
      }
      low = selectBits(lowScratch, slots, shift, rankV, 0);
    }
    const o = out + (<usize> x0 << 1);
    const sh = <i32> shift;
    v128.store(
      o,
      i16x8.add(
        v128.or(i16x8.shl(i16x8.extend_low_i8x16_u(high), sh), i16x8.extend_low_i8x16_u(low)),
        loV,
      ),
    );
    v128.store(
      o,
      i16x8.add(
        v128.or(i16x8.shl(i16x8.extend_high_i8x16_u(high), sh), i16x8.extend_high_i8x16_u(low)),
        loV,
      ),
      16,
    );
  }
}
