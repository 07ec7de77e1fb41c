/**
 * Binary erosion and dilation of u8 masks (0 / non-zero) with a row-run footprint (a disk):
 * - erosion = `scipy.ndimage.binary_erosion(structure=disk, border_value=True)`, which is what
 *   `skimage.morphology.binary_erosion` calls: pixels outside the image count as set;
 * - dilation = `skimage.morphology.dilation` of a 0/1 image (`ndimage.grey_dilation`, mode
 *   `reflect`), which for a symmetric footprint equals ignoring pixels outside the image.
 *
 * Both use, per row, the horizontal distance to the nearest zero (erosion) or non-zero pixel
 * (dilation), stored as u8; a pixel is then decided by one comparison per footprint row, for 16
 * pixels at a time (wasm SIMD). Half-widths of 255 or more (disks of radius ≥ 255) fall back to
 * the dilation / erosion by row runs of `binary_morphology_wide.ts`. Rows are separate calls so
 * V8 optimises the loops after the first rows, even on the first call.
 * @module
 */

import { binaryMorphWide } from "./binary_morphology_wide";

const FAR: i32 = 0xff;

/** Whether every half-width is below `FAR`, so u8 distances decide exactly. */
function narrow(halfWidths: StaticArray<i32>): bool {
  for (let k = 0; k < halfWidths.length; k++) if (unchecked(halfWidths[k]) >= FAR) return false;
  return true;
}

/**
 * Row `y`'s distance along x to the nearest pixel whose "set" state equals `target`, as u8
 * saturated at `FAR` (callers check that every footprint half-width is below it). 16 pixels at a
 * time: a min-plus prefix scan within the block (shifts by 1, 2, 4, 8) plus the carry from the
 * previous block, left to right, then the same right to left over the result.
 */
function rowDistances(src: usize, y: i32, width: i32, target: bool, dist: usize): void {
  const row = src + <usize> y * <usize> width;
  const d = dist + <usize> y * <usize> width;
  const far = i8x16.splat(-1);
  const zero = i8x16.splat(0);
  const blocks = width & ~15;
  // left to right: 0 at target pixels, 255 elsewhere, then the scan
  let carry = far;
  for (let x = 0; x < blocks; x += 16) {
    const unset = i8x16.eq(v128.load(row + <usize> x), zero);
    let v = target ? unset : v128.not(unset);
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftRight1(v), i8x16.splat(1)));
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftRight2(v), i8x16.splat(2)));
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftRight4(v), i8x16.splat(4)));
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftRight8(v), i8x16.splat(8)));
    v = i8x16.min_u(
      v,
      i8x16.add_sat_u(carry, i8x16(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)),
    );
    v128.store(d + <usize> x, v);
    carry = i8x16.shuffle(v, v, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15);
  }
  let run = <i32> i8x16.extract_lane_u(carry, 0);
  for (let x = blocks; x < width; x++) {
    run = (load<u8>(row + <usize> x) != 0) == target ? 0 : min(run + 1, FAR);
    store<u8>(d + <usize> x, <u8> run);
  }
  // right to left over the left-to-right distances
  run = FAR;
  for (let x = width - 1; x >= blocks; x--) {
    const p = d + <usize> x;
    run = min(<i32> load<u8>(p), min(run + 1, FAR));
    store<u8>(p, <u8> run);
  }
  carry = i8x16.splat(<i8> run);
  for (let x = blocks - 16; x >= 0; x -= 16) {
    let v = v128.load(d + <usize> x);
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftLeft1(v), i8x16.splat(1)));
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftLeft2(v), i8x16.splat(2)));
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftLeft4(v), i8x16.splat(4)));
    v = i8x16.min_u(v, i8x16.add_sat_u(shiftLeft8(v), i8x16.splat(8)));
    v = i8x16.min_u(
      v,
      i8x16.add_sat_u(carry, i8x16(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)),
    );
    v128.store(d + <usize> x, v);
    carry = i8x16.shuffle(v, v, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}

// Lane shifts filling with 255: `shiftRightN` moves lane i to lane i + n (towards higher x),
// `shiftLeftN` lane i + n to lane i.
const FILL: v128 = i8x16.splat(-1);

function shiftRight1(v: v128): v128 {
  return i8x16.shuffle(FILL, v, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
}
function shiftRight2(v: v128): v128 {
  return i8x16.shuffle(FILL, v, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
}
function shiftRight4(v: v128): v128 {
  return i8x16.shuffle(FILL, v, 0, 0, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
}
function shiftRight8(v: v128): v128 {
  return i8x16.shuffle(FILL, v, 0, 0, 0, 0, 0, 0, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23);
}
function shiftLeft1(v: v128): v128 {
  return i8x16.shuffle(v, FILL, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
}
function shiftLeft2(v: v128): v128 {
  return i8x16.shuffle(v, FILL, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16);
}
function shiftLeft4(v: v128): v128 {
  return i8x16.shuffle(v, FILL, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16);
}
function shiftLeft8(v: v128): v128 {
  return i8x16.shuffle(v, FILL, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16);
}

/**
 * Output row `y`: a pixel is "hit" when some footprint row `k` has a target pixel within its
 * half-width; erosion keeps set pixels that are not hit, dilation sets hit pixels (a pixel that
 * is not set has distance 0 to a zero on its own row, so erosion never keeps it). 16 pixels at a
 * time: `d ∸ halfWidth` (saturating) is 0 exactly where row `k` hits, and the minimum over the
 * rows is 0 where any does.
 */
function morphRow(
  dst: usize,
  dist: usize,
  y: i32,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
  erode: bool,
): void {
  const r = (halfWidths.length - 1) >> 1;
  const out = dst + <usize> y * <usize> width;
  const k0 = max(0, r - y);
  const k1 = min(2 * r, height - 1 - y + r);
  const base = dist + <usize> (y - r) * <usize> width;
  const one = i8x16.splat(1);
  const zero = i8x16.splat(0);
  let x = 0;
  for (; x + 16 <= width; x += 16) {
    let acc = i8x16.splat(-1);
    for (let k = k0; k <= k1; k++) {
      const d = v128.load(base + <usize> k * <usize> width + <usize> x);
      acc = i8x16.min_u(acc, i8x16.sub_sat_u(d, i8x16.splat(<i8> unchecked(halfWidths[k]))));
    }
    const hit = i8x16.eq(acc, zero);
    v128.store(out + <usize> x, v128.and(erode ? v128.not(hit) : hit, one));
  }
  for (; x < width; x++) {
    let hit = false;
    for (let k = k0; !hit && k <= k1; k++) {
      const d = <i32> load<u8>(base + <usize> k * <usize> width + <usize> x);
      if (d <= unchecked(halfWidths[k])) hit = true;
    }
    store<u8>(out + <usize> x, erode ? (hit ? 0 : 1) : (hit ? 1 : 0));
  }
}

/**
 * Erodes `src` into `dst` (u8, `height * width`, may not alias) with the footprint rows
 * `halfWidths` (see `disk.ts`). Pixels outside the image count as set.
 */
export function binaryErode(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
): void {
  morph(src, dst, height, width, halfWidths, true);
}

/**
 * Dilates `src` into `dst` (u8, `height * width`, may not alias) with the footprint rows
 * `halfWidths`. Pixels outside the image count as unset.
 */
export function binaryDilate(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
): void {
  morph(src, dst, height, width, halfWidths, false);
}

function morph(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
  erode: bool,
): void {
  if (!narrow(halfWidths)) {
    binaryMorphWide(src, dst, height, width, halfWidths, erode);
    return;
  }
  const dist = heap.alloc(<usize> height * <usize> width);
  for (let y = 0; y < height; y++) rowDistances(src, y, width, !erode, dist);
  for (let y = 0; y < height; y++) morphRow(dst, dist, y, height, width, halfWidths, erode);
  heap.free(dist);
}
