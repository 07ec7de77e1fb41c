// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * The object list of a mask: every label still present, its pixel count, and its anchor — the
 * global position of the nucleus peak that seeded it (the same for the nucleus and cytosol of
 * a cell, and independent of the tiling).
 * @module
 */

import { labelCounts } from "../../kernels/assembly/label_stats";
import { RawArray } from "../../sdk/assembly/memory";
import { ObjectList } from "../../sdk/assembly/segmentation";
import { TileFrame } from "./tile_frame";
import { Peaks } from "./tile_peaks";

/** Objects of `labels` (ids 1..peaks.count) anchored at their peaks. */
export function anchoredObjects(labels: RawArray<u32>, peaks: Peaks, frame: TileFrame): ObjectList {
  const objects = new ObjectList();
  const count = peaks.count;
  if (count == 0) return objects;
  const counts = heap.alloc(<usize> (count + 1) << 2);
  labelCounts(labels.ptr, frame.size, counts, <u32> count);
  for (let k = 1; k <= count; k++) {
    const area = load<u32>(counts + (<usize> k << 2));
    if (area == 0) continue;
    objects.push(
      <u32> k,
      <u32> (frame.originY + unchecked(peaks.y[k - 1])),
      <u32> (frame.originX + unchecked(peaks.x[k - 1])),
      area,
    );
  }
  heap.free(counts);
  return objects;
}
