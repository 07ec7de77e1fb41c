// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * The objects of `plane > threshold`, 8-connected: the kernels' {@link labelComponents} (labels
 * numbered in raster order of each object's first pixel, as `skimage.measure.label`), then one
 * entry per object with that first pixel as its anchor (global coordinates) and its area.
 * @module
 */

import { labelComponents } from "../../kernels/assembly/label_components";
import { RawArray } from "../../sdk/assembly/memory";
import { ObjectList } from "../../sdk/assembly/segmentation";

/**
 * Labels `plane` (u16, `height * width`) above `threshold` into `labels` (same size) and appends
 * its objects to `objects`; the tile's first pixel sits at (`originY`, `originX`) of the image.
 */
export function thresholdObjects(
  plane: usize,
  height: i32,
  width: i32,
  threshold: f64,
  labels: RawArray<u32>,
  objects: ObjectList,
  originY: i32,
  originX: i32,
): void {
  const n = height * width;
  // integer pixels: v > threshold  <=>  v > floor(threshold) (for threshold >= 0)
  const t: i32 = threshold < 0 ? -1 : <i32> Math.min(Math.floor(threshold), 65535);
  const mask = heap.alloc(<usize> max(n, 1));
  for (let i = 0; i < n; i++) {
    store<u8>(mask + <usize> i, <i32> load<u16>(plane + (<usize> i << 1)) > t ? 1 : 0);
  }
  const count = <i32> labelComponents(mask, labels.ptr, height, width, 2);
  heap.free(mask);
  const areas = RawArray.zeroed<u32>(count + 1);
  const anchors = RawArray.zeroed<u32>(2 * count + 2);
  for (let i = 0; i < n; i++) {
    const l = <i32> load<u32>(labels.ptr + (<usize> i << 2));
    if (l == 0) continue;
    if (areas.get(l) == 0) {
      anchors.set(2 * l, <u32> (originY + i / width));
      anchors.set(2 * l + 1, <u32> (originX + i % width));
    }
    areas.set(l, areas.get(l) + 1);
  }
  for (let l = 1; l <= count; l++) {
    objects.push(<u32> l, anchors.get(2 * l), anchors.get(2 * l + 1), areas.get(l));
  }
  areas.dispose();
  anchors.dispose();
}
