/**
 * The median-filtered raw plane (`skimage.filters.median(ch, disk(r))`, mode `nearest`).
 * Filtering the raw u16 values equals filtering the normalised plane as scPortrait does, since
 * the normalisation is monotone (see `intensity_map.ts`).
 * @module
 */

import { BORDER_NEAREST } from "../../kernels/assembly/border";
import { diskHalfWidths } from "../../kernels/assembly/disk";
import { medianFilterU16 } from "../../kernels/assembly/median_filter";

/**
 * A new u16 buffer (free with `heap.free`) holding `plane` filtered with `disk(radius)`, or
 * `plane` itself when `radius` ≤ 0 (no filter, or disk(0) = identity).
 */
export function medianPlane(plane: usize, height: i32, width: i32, radius: i32): usize {
  if (radius <= 0) return plane;
  const out = heap.alloc(<usize> max(height * width, 1) << 1);
  medianFilterU16(plane, out, height, width, diskHalfWidths(radius), BORDER_NEAREST);
  return out;
}
