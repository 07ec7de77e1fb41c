/**
 * Sorting the 16-byte queue items of `BucketQueue` (value f64 @0, age i32 @8, index i32 @12)
 * by (value, age), in place: insertion sort for short runs, a bottom-up merge sort through a
 * scratch buffer for long ones (moved as one v128 each).
 * @module
 */

/** Largest run sorted by insertion (and the merge sort's initial run length). */
export const RUN_MAX: i32 = 48;

/** Whether (value, age) orders before the 16-byte item at `item`. */
export function before(value: f64, age: i32, item: usize): bool {
  const v = load<f64>(item);
  return value < v || (value == v && age < load<i32>(item, 8));
}

/** Whether the 16-byte items in [first, last) are in (value, age) order. */
export function isSorted(first: usize, last: usize): bool {
  for (let i = first + 16; i < last; i += 16) {
    if (before(load<f64>(i), load<i32>(i, 8), i - 16)) return false;
  }
  return true;
}

/**
 * Sorts the 16-byte items in [first, last) by (value, age): insertion-sorted runs of
 * `RUN_MAX`, merged pairwise back and forth with `scratch` (as large as the items).
 */
export function mergeSort(first: usize, last: usize, scratch: usize): void {
  const bytes = last - first;
  const block = <usize> RUN_MAX << 4;
  for (let i = first; i < last; i += block) insertionSort(i, min(i + block, last));
  let src = first;
  let dst = scratch;
  for (let width = block; width < bytes; width <<= 1) {
    for (let lo: usize = 0; lo < bytes; lo += width << 1) {
      const mid = min(lo + width, bytes);
      merge(src + lo, src + mid, src + min(mid + width, bytes), dst + lo);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != first) memory.copy(first, src, bytes);
}

/** Merges the sorted item ranges [a, aEnd) and [aEnd, bEnd) into `out`. */
function merge(a: usize, aEnd: usize, bEnd: usize, out: usize): void {
  let b = aEnd;
  while (a < aEnd && b < bEnd) {
    if (before(load<f64>(b), load<i32>(b, 8), a)) {
      v128.store(out, v128.load(b));
      b += 16;
    } else {
      v128.store(out, v128.load(a));
      a += 16;
    }
    out += 16;
  }
  if (a < aEnd) memory.copy(out, a, aEnd - a);
  else if (b < bEnd) memory.copy(out, b, bEnd - b);
}

/** Sorts the 16-byte items in [first, last) by (value, age). */
export function insertionSort(first: usize, last: usize): void {
  for (let i = first + 16; i < last; i += 16) {
    const item = v128.load(i);
    const value = load<f64>(i);
    const age = load<i32>(i, 8);
    let j = i;
    while (j > first && before(value, age, j - 16)) {
      v128.store(j, v128.load(j - 16));
      j -= 16;
    }
    v128.store(j, item);
  }
}
