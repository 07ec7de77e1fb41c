// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * scPortrait's `remove_edge_labels` for a tile: labels touching a side of the tile that is the
 * image's border are removed. Sides inside the image are left alone (cells there belong to the
 * tile next door, or lie in the halo).
 * @module
 */

import { maxLabel, removeFlagged } from "../../kernels/assembly/label_stats";
import { TileFrame } from "./tile_frame";

function flagRow(labels: usize, start: i32, count: i32, stride: i32, flags: usize): void {
  for (let k = 0; k < count; k++) {
    const v = load<u32>(labels + (<usize> (start + k * stride) << 2));
    if (v != 0) store<u8>(flags + <usize> v, 1);
  }
}

/** Removes, in place, the labels (u32 over the tile) touching the image border. */
export function removeImageEdgeLabels(labels: usize, frame: TileFrame): void {
  const h = frame.height;
  const w = frame.width;
  const n = h * w;
  const maxId = maxLabel(labels, n);
  if (maxId == 0) return;
  const flags = heap.alloc(<usize> maxId + 1);
  memory.fill(flags, 0, <usize> maxId + 1);
  if (frame.top) flagRow(labels, 0, w, 1, flags);
  if (frame.bottom) flagRow(labels, (h - 1) * w, w, 1, flags);
  if (frame.left) flagRow(labels, 0, h, w, flags);
  if (frame.right) flagRow(labels, w - 1, h, w, flags);
  removeFlagged(labels, n, flags, maxId);
  heap.free(flags);
}
