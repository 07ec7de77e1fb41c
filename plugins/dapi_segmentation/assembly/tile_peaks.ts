// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * `peak_local_max(distance, min_distance, footprint=disk(p))` for a tile: skimage excludes
 * peaks within `min_distance` of the *image* border before spacing them, which a tile must do
 * only on its sides that are the image border. The kernel excludes a border on every side, so
 * the distance map is padded with `min_distance` zero rows/columns on the tile's inner sides:
 * zeros are exactly the kernel's `mode="constant", cval=0` outside, never exceed the minimum
 * (0), and put the excluded band inside the padding.
 * @module
 */

import { diskHalfWidths } from "../../kernels/assembly/disk";
import { peakLocalMax } from "../../kernels/assembly/peak_local_max";
import { TileFrame } from "./tile_frame";

/** Peaks of a tile in skimage's output order: tile-local rows and columns. */
export class Peaks {
  /** Number of peaks. */
  count: i32 = 0;
  /** Rows. */
  y: StaticArray<i32> = new StaticArray<i32>(0);
  /** Columns. */
  x: StaticArray<i32> = new StaticArray<i32>(0);
}

/** Finds the peaks of `distance` (f64 over the tile). */
export function tilePeaks(
  distance: usize,
  frame: TileFrame,
  minDistance: i32,
  footprint: i32,
): Peaks {
  const h = frame.height;
  const w = frame.width;
  const pt = frame.top ? 0 : minDistance;
  const pb = frame.bottom ? 0 : minDistance;
  const pl = frame.left ? 0 : minDistance;
  const pr = frame.right ? 0 : minDistance;
  const ph = h + pt + pb;
  const pw = w + pl + pr;
  const padded = heap.alloc(<usize> ph * <usize> pw << 3);
  memory.fill(padded, 0, <usize> ph * <usize> pw << 3);
  for (let y = 0; y < h; y++) {
    memory.copy(
      padded + ((<usize> (y + pt) * <usize> pw + <usize> pl) << 3),
      distance + ((<usize> y * <usize> w) << 3),
      <usize> w << 3,
    );
  }
  const fp = diskHalfWidths(footprint);
  let cap = max(ph * pw / 64, 64);
  let out = heap.alloc(<usize> cap << 3);
  let found = peakLocalMax(padded, ph, pw, minDistance, fp, minDistance, out, cap);
  if (found > cap) {
    heap.free(out);
    cap = found;
    out = heap.alloc(<usize> cap << 3);
    found = peakLocalMax(padded, ph, pw, minDistance, fp, minDistance, out, cap);
  }
  heap.free(padded);
  const p = new Peaks();
  p.count = found;
  p.y = new StaticArray<i32>(found);
  p.x = new StaticArray<i32>(found);
  for (let i = 0; i < found; i++) {
    unchecked(p.y[i] = load<i32>(out + (<usize> i << 3)) - pt);
    unchecked(p.x[i] = load<i32>(out + (<usize> i << 3) + 4) - pl);
  }
  heap.free(out);
  return p;
}
