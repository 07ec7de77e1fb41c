/**
 * scPortrait `remove_edge_labels`: every label present in the first or last row or column is
 * removed from the whole plane.
 * @module
 */

import { maxLabel, removeFlagged } from "./label_stats";

/** Flags (u8 table, `maxId + 1` entries, not cleared here) every id on the image border. */
export function flagEdgeLabels(
  labels: usize,
  height: i32,
  width: i32,
  flags: usize,
  maxId: u32,
): void {
  if (height <= 0 || width <= 0) return;
  for (let x = 0; x < width; x++) {
    flag(labels, x, flags, maxId);
    flag(labels, (height - 1) * width + x, flags, maxId);
  }
  for (let y = 0; y < height; y++) {
    flag(labels, y * width, flags, maxId);
    flag(labels, y * width + width - 1, flags, maxId);
  }
}

function flag(labels: usize, i: i32, flags: usize, maxId: u32): void {
  const v = load<u32>(labels + (<usize> i << 2));
  if (v != 0 && v <= maxId) store<u8>(flags + <usize> v, 1);
}

/** Removes, in place, every label touching the border of `labels` (u32). */
export function removeEdgeLabels(labels: usize, height: i32, width: i32): void {
  const n = height * width;
  const maxId = maxLabel(labels, n);
  if (maxId == 0) return;
  const flags = heap.alloc(<usize> maxId + 1);
  memory.fill(flags, 0, <usize> maxId + 1);
  flagEdgeLabels(labels, height, width, flags, maxId);
  removeFlagged(labels, n, flags, maxId);
  heap.free(flags);
}
