/**
 * scPortrait `contact_filter(label, threshold, reindex=False)`: for every interior pixel (not in
 * the first/last row or column) and each of its 4 neighbours, `bg[id] += (nbr == 0)` and
 * `other[id] += (nbr != id)`, with both counters starting at 1; ids (except 0) whose
 * `bg / other < threshold` are removed.
 * @module
 */

import { maxLabel, removeFlagged } from "./label_stats";

/**
 * Writes the background-contact ratio of ids `0..maxId` into `ratios` (f64, `maxId + 1`).
 */
export function contactRatios(
  labels: usize,
  height: i32,
  width: i32,
  maxId: u32,
  ratios: usize,
): void {
  const m = <usize> maxId + 1;
  const bg = heap.alloc(m << 2);
  const other = heap.alloc(m << 2);
  for (let i: usize = 0; i < m; i++) {
    store<i32>(bg + (i << 2), 1);
    store<i32>(other + (i << 2), 1);
  }
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = <usize> (y * width + x);
      const v = load<u32>(labels + (i << 2));
      const up = load<u32>(labels + ((i - <usize> width) << 2));
      const left = load<u32>(labels + ((i - 1) << 2));
      const down = load<u32>(labels + ((i + <usize> width) << 2));
      const right = load<u32>(labels + ((i + 1) << 2));
      const b = (<i32> (up == 0)) + (<i32> (left == 0)) + (<i32> (down == 0)) +
        (<i32> (right == 0));
      const o = (<i32> (up != v)) + (<i32> (left != v)) + (<i32> (down != v)) +
        (<i32> (right != v));
      const pv = <usize> v;
      store<i32>(bg + (pv << 2), load<i32>(bg + (pv << 2)) + b);
      store<i32>(other + (pv << 2), load<i32>(other + (pv << 2)) + o);
    }
  }
  for (let i: usize = 0; i < m; i++) {
    store<f64>(
      ratios + (i << 3),
      <f64> load<i32>(bg + (i << 2)) / <f64> load<i32>(other + (i << 2)),
    );
  }
  heap.free(other);
  heap.free(bg);
}

/** Applies the contact filter in place to `labels` (u32); returns the number of ids removed. */
export function contactFilter(labels: usize, height: i32, width: i32, threshold: f64): i32 {
  const n = height * width;
  const maxId = maxLabel(labels, n);
  if (maxId == 0) return 0;
  const m = <usize> maxId + 1;
  const ratios = heap.alloc(m << 3);
  contactRatios(labels, height, width, maxId, ratios);
  const flags = heap.alloc(m);
  memory.fill(flags, 0, m);
  let removed = 0;
  for (let i: usize = 1; i < m; i++) {
    if (load<f64>(ratios + (i << 3)) < threshold) {
      store<u8>(flags + i, 1);
      removed++;
    }
  }
  removeFlagged(labels, n, flags, maxId);
  heap.free(flags);
  heap.free(ratios);
  return removed;
}
