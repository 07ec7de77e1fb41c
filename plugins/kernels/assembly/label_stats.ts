/**
 * Basic label-image bookkeeping shared by the filters: the largest id, per-id pixel counts, and
 * removing the ids flagged in a per-id u8 table (`remove_classes` without reindexing).
 * @module
 */

/** Largest label among the `n` u32 labels at `labels` (0 when empty). */
export function maxLabel(labels: usize, n: i32): u32 {
  let m: u32 = 0;
  for (let i = 0; i < n; i++) m = max(m, load<u32>(labels + (<usize> i << 2)));
  return m;
}

/** Counts pixels per id into `counts` (u32, `maxId + 1` entries, zeroed by this call). */
export function labelCounts(labels: usize, n: i32, counts: usize, maxId: u32): void {
  memory.fill(counts, 0, (<usize> maxId + 1) << 2);
  for (let i = 0; i < n; i++) {
    const p = counts + (<usize> load<u32>(labels + (<usize> i << 2)) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
}

/**
 * Sets to 0 every pixel whose id `v` has `flags[v] != 0` (u8 table of `maxId + 1` entries;
 * ids above `maxId` are kept). Returns the number of pixels cleared.
 */
export function removeFlagged(labels: usize, n: i32, flags: usize, maxId: u32): i32 {
  let cleared = 0;
  for (let i = 0; i < n; i++) {
    const p = labels + (<usize> i << 2);
    const v = load<u32>(p);
    if (v != 0 && v <= maxId && load<u8>(flags + <usize> v) != 0) {
      store<u32>(p, 0);
      cleared++;
    }
  }
  return cleared;
}
