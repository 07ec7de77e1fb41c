/**
 * scPortrait `MatchNucleusCytosolIds(filtering_threshold)`: a nucleus is matched to the first
 * cytosol id (ascending) covering at least `threshold` of its pixels, and discarded when any of
 * its pixels has no cytosol or no id reaches the threshold; cytosols matched by no nucleus are
 * discarded; cytosols matched by several nuclei are discarded with all those nuclei. Finally the
 * discarded nuclei and cytosols are zeroed and each kept cytosol takes its nucleus's id.
 * @module
 */

import { maxLabel } from "./label_stats";

/**
 * Matches in place `nucleus` and `cytosol` (u32, `n` pixels each). Returns the number of
 * matched cells kept.
 */
export function matchNucleusCytosol(nucleus: usize, cytosol: usize, n: i32, threshold: f64): i32 {
  const maxN = maxLabel(nucleus, n);
  const maxC = maxLabel(cytosol, n);
  const mN = <usize> maxN + 1;
  const mC = <usize> maxC + 1;
  // per nucleus: total pixels, pixels without cytosol
  const total = heap.alloc(mN << 2);
  const uncovered = heap.alloc(mN << 2);
  memory.fill(total, 0, mN << 2);
  memory.fill(uncovered, 0, mN << 2);
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const v = <usize> load<u32>(nucleus + (<usize> i << 2));
    if (v == 0) continue;
    store<u32>(total + (v << 2), load<u32>(total + (v << 2)) + 1);
    if (load<u32>(cytosol + (<usize> i << 2)) == 0) {
      store<u32>(uncovered + (v << 2), load<u32>(uncovered + (v << 2)) + 1);
    } else pairs++;
  }
  // sorted (nucleus, cytosol) keys of covered nucleus pixels
  const keys = heap.alloc(<usize> max(pairs, 1) << 3);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = load<u32>(nucleus + (<usize> i << 2));
    const c = load<u32>(cytosol + (<usize> i << 2));
    if (v == 0 || c == 0) continue;
    store<u64>(keys + (<usize> (k++) << 3), (<u64> v << 32) | <u64> c);
  }
  radixSortU64(keys, pairs);
  // lookup nucleus -> cytosol (0 = none)
  const lookup = heap.alloc(mN << 2);
  memory.fill(lookup, 0, mN << 2);
  let i = 0;
  while (i < pairs) {
    const key = load<u64>(keys + (<usize> i << 3));
    const v = <u32> (key >> 32);
    const c = <u32> key;
    let j = i;
    while (j < pairs && load<u64>(keys + (<usize> j << 3)) == key) j++;
    const tot = load<u32>(total + (<usize> v << 2));
    if (
      load<u32>(uncovered + (<usize> v << 2)) == 0 &&
      load<u32>(lookup + (<usize> v << 2)) == 0 &&
      <f64> (j - i) / <f64> tot >= threshold
    ) store<u32>(lookup + (<usize> v << 2), c);
    i = j;
  }
  // how many nuclei claim each cytosol
  const claims = heap.alloc(mC << 2);
  memory.fill(claims, 0, mC << 2);
  for (let v: usize = 1; v < mN; v++) {
    const c = <usize> load<u32>(lookup + (v << 2));
    if (c != 0) store<u32>(claims + (c << 2), load<u32>(claims + (c << 2)) + 1);
  }
  // cytosol -> nucleus for singly claimed cytosols (0 = discard)
  const target = heap.alloc(mC << 2);
  memory.fill(target, 0, mC << 2);
  let kept = 0;
  for (let v: usize = 1; v < mN; v++) {
    const c = <usize> load<u32>(lookup + (v << 2));
    if (c == 0) continue;
    if (load<u32>(claims + (c << 2)) == 1) {
      store<u32>(target + (c << 2), <u32> v);
      kept++;
    } else store<u32>(lookup + (v << 2), 0);
  }
  for (let p = 0; p < n; p++) {
    const pn = nucleus + (<usize> p << 2);
    const v = <usize> load<u32>(pn);
    if (v != 0 && load<u32>(lookup + (v << 2)) == 0) store<u32>(pn, 0);
    const pc = cytosol + (<usize> p << 2);
    const c = <usize> load<u32>(pc);
    if (c != 0) store<u32>(pc, load<u32>(target + (c << 2)));
  }
  heap.free(target);
  heap.free(claims);
  heap.free(lookup);
  heap.free(keys);
  heap.free(uncovered);
  heap.free(total);
  return kept;
}

/** LSD radix sort of `n` u64 keys in place (16-bit digits). */
export function radixSortU64(keys: usize, n: i32): void {
  if (n < 2) return;
  const tmp = heap.alloc(<usize> n << 3);
  const count = heap.alloc(65536 << 2);
  let src = keys;
  let dst = tmp;
  for (let shift: u64 = 0; shift < 64; shift += 16) {
    memory.fill(count, 0, 65536 << 2);
    for (let i = 0; i < n; i++) {
      const d = <usize> ((load<u64>(src + (<usize> i << 3)) >> shift) & 0xffff);
      store<u32>(count + (d << 2), load<u32>(count + (d << 2)) + 1);
    }
    if (load<u32>(count + (<usize> ((load<u64>(src) >> shift) & 0xffff) << 2)) == <u32> n) continue;
    let sum: u32 = 0;
    for (let d = 0; d < 65536; d++) {
      const c = load<u32>(count + (<usize> d << 2));
      store<u32>(count + (<usize> d << 2), sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = load<u64>(src + (<usize> i << 3));
      const p = count + (<usize> ((key >> shift) & 0xffff) << 2);
      const at = load<u32>(p);
      store<u32>(p, at + 1);
      store<u64>(dst + (<usize> at << 3), key);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != keys) memory.copy(keys, src, <usize> n << 3);
  heap.free(count);
  heap.free(tmp);
}
