/**
 * Marker-based watershed with the semantics of `skimage.segmentation.watershed(image, markers,
 * mask=…, connectivity=1|2)` (compactness 0, no watershed line): markers outside the mask are
 * dropped; marker pixels enter a min-heap in raster order with age 0; each popped pixel labels
 * its unlabelled in-mask neighbours (order up, left, right, down, then the diagonals) at push
 * time, each push getting the next age; pixels outside the image are never visited.
 *
 * Speed without changing a single label: skimage pops by (value, age) and every non-marker item
 * has its own age, so the only order a plain priority queue cannot reproduce is the one among
 * markers sharing one value (all age 0) — there skimage's heap layout decides. We therefore run
 * the skimage heap replica ({@link MinHeap}) until every marker of a tied value group has been
 * popped (in the WGA pipeline all markers sit at value 0, so that is the first few thousand
 * pops), then move the remaining items into a {@link BucketQueue}, whose pop order equals any
 * exact (value, age) queue's. Images containing NaN (where comparisons are not a total order)
 * stay on the heap replica throughout. Each bucket of items entering the queue's heap has the
 * rows around its pixels read ahead of time, so the cache misses of a bucket overlap.
 *
 * `rasterTies` (a deviation, for tiling-invariant plugins): markers sharing a value pop in raster
 * order instead of skimage's heap-layout order. That layout depends on every marker of the image,
 * so two tilings of one image can flood a tie differently; raster order within a tile is the
 * image's raster order restricted to the tile, so every tiling pops shared markers alike.
 * Markers still precede every non-marker item of their value, as in skimage, and the result
 * equals skimage's whenever no two markers share a value.
 * @module
 */

import { BucketQueue } from "./bucket_queue";
import { MinHeap } from "./min_heap";

const DY = memory.data<i32>([-1, 0, 0, 1, -1, -1, 1, 1]);
const DX = memory.data<i32>([0, -1, 1, 0, -1, 1, -1, 1]);

/**
 * Floods `image` (f64, `height * width`) from `markers` (u32, 0 = none) inside `mask` (u8,
 * 0 = excluded; pass 0 for "everything") into `out` (u32). `connectivity` is 1 (4-neighbours)
 * or 2 (8-neighbours). `rasterTies`: markers of one value pop in raster order (see the module
 * comment); false = skimage's order.
 */
export function watershed(
  image: usize,
  markers: usize,
  mask: usize,
  out: usize,
  height: i32,
  width: i32,
  connectivity: i32,
  rasterTies: bool = false,
): void {
  const n = height * width;
  let count = 0;
  let nan = false;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    let m = load<u32>(markers + (<usize> i << 2));
    const inside = mask == 0 || load<u8>(mask + <usize> i) != 0;
    if (!inside) m = 0;
    store<u32>(out + (<usize> i << 2), m);
    if (m != 0) count++;
    if (!inside) continue;
    const v = load<f64>(image + (<usize> i << 3));
    if (v != v) nan = true;
    else if (v > -Infinity && v < Infinity) {
      lo = min(lo, v);
      hi = max(hi, v);
    }
  }
  if (count == 0) return;
  // markers in raster order, age 0; `tied` = markers whose value another marker shares
  const hp = new MinHeap(max(1024, count * 2));
  const sorted = heap.alloc(<usize> count << 3);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (load<u32>(out + (<usize> i << 2)) == 0) continue;
    const v = load<f64>(image + (<usize> i << 3));
    // raster ties: ages -count..-1 in raster order, all before the first pushed age (2)
    hp.push(v, rasterTies ? j - count : 0, i);
    store<f64>(sorted + (<usize> j << 3), v);
    j++;
  }
  sortF64(sorted, count);
  let tied = 0;
  for (let i = 0; i < count; i++) {
    const v = load<f64>(sorted + (<usize> i << 3));
    const before = i > 0 && load<f64>(sorted + (<usize> (i - 1) << 3)) == v;
    const after = i + 1 < count && load<f64>(sorted + (<usize> (i + 1) << 3)) == v;
    if (before || after) tied++;
  }
  if (nan) tied = i32.MAX_VALUE;
  else if (rasterTies) tied = 0; // every marker key is unique
  const nn = connectivity >= 2 ? 8 : 4;
  let age = 1;
  // phase 1: skimage's heap, while tied markers remain queued
  while (hp.size > 0 && tied > 0) {
    const p = hp.topIndex();
    if (hp.topAge() == 0 && tied != i32.MAX_VALUE && isTied(sorted, count, hp.topValue())) {
      tied--;
    }
    hp.pop();
    const label = load<u32>(out + (<usize> p << 2));
    const y = p / width;
    const x = p - y * width;
    for (let k = 0; k < nn; k++) {
      const q = neighbour(y, x, k, height, width, mask, out);
      if (q < 0) continue;
      age++;
      store<u32>(out + (<usize> q << 2), label);
      hp.push(load<f64>(image + (<usize> q << 3)), age, q);
    }
  }
  heap.free(sorted);
  if (hp.size == 0) {
    hp.dispose();
    return;
  }
  // phase 2: every queued key is unique, so an exact bucket queue pops in the same order
  let slots = 16;
  while (slots < (n >> 1)) slots <<= 1;
  const range = hi - lo;
  const delta = range > 0 && range < Infinity ? range / <f64> (slots - 2) : 1.0;
  const bq = new BucketQueue(lo > -Infinity ? lo : 0, delta, slots);
  while (hp.size > 0) {
    bq.push(hp.topValue(), hp.topAge(), hp.topIndex());
    hp.pop();
  }
  hp.dispose();
  let batches = 0;
  const invWidth = 1.0 / <f64> width;
  while (bq.settle()) {
    if (bq.batches != batches) {
      batches = bq.batches;
      touchRows(bq.batch, bq.batchSize, image, out, mask, width, n);
    }
    const p = bq.topIndex();
    bq.pop();
    const label = load<u32>(out + (<usize> p << 2));
    // p / width without an integer division (the estimate is off by at most one)
    let y = <i32> (<f64> p * invWidth);
    if (y * width > p) y--;
    else if ((y + 1) * width <= p) y++;
    const x = p - y * width;
    if (nn == 4) {
      // up, left, right, down: the order of `neighbour`
      if (y > 0) age = claim(p - width, label, age, image, mask, out, bq);
      if (x > 0) age = claim(p - 1, label, age, image, mask, out, bq);
      if (x + 1 < width) age = claim(p + 1, label, age, image, mask, out, bq);
      if (y + 1 < height) age = claim(p + width, label, age, image, mask, out, bq);
      continue;
    }
    for (let k = 0; k < nn; k++) {
      const q = neighbour(y, x, k, height, width, mask, out);
      if (q < 0) continue;
      age++;
      store<u32>(out + (<usize> q << 2), label);
      bq.push(load<f64>(image + (<usize> q << 3)), age, q);
    }
  }
  bq.dispose();
}

/**
 * Labels in-image pixel `q` with `label` and queues it with the next age, if it is inside the
 * mask and unlabelled; returns the last age used.
 */

function claim(
  q: i32,
  label: u32,
  age: i32,
  image: usize,
  mask: usize,
  out: usize,
  bq: BucketQueue,
): i32 {
  if (mask != 0 && load<u8>(mask + <usize> q) == 0) return age;
  if (load<u32>(out + (<usize> q << 2)) != 0) return age;
  store<u32>(out + (<usize> q << 2), label);
  bq.push(load<f64>(image + (<usize> q << 3)), age + 1, q);
  return age + 1;
}

/** Sum of the values read ahead by {@link touchRows} (kept so the loads stay). */
let touched: f64 = 0;

/**
 * Reads the image, label and mask rows above, at and below each of the `count` queue items at
 * `items` before they pop, so their cache misses overlap (see `BucketQueue.batch`).
 */
function touchRows(
  items: usize,
  count: i32,
  image: usize,
  out: usize,
  mask: usize,
  width: i32,
  n: i32,
): void {
  let acc = 0.0;
  let labels: u32 = 0;
  for (let i = 0; i < count; i++) {
    const p = load<i32>(items + (<usize> i << 4), 12);
    const up = <usize> (p >= width ? p - width : p);
    const down = <usize> (p + width < n ? p + width : p);
    acc += load<f64>(image + (up << 3)) + load<f64>(image + (<usize> p << 3));
    acc += load<f64>(image + (down << 3));
    labels += load<u32>(out + (up << 2)) + load<u32>(out + (down << 2));
    if (mask != 0) labels += load<u8>(mask + up) + load<u8>(mask + down);
  }
  touched += acc + <f64> labels;
}

/** Index of neighbour `k` of (y, x) if it is inside the image and the mask and unlabelled. */

function neighbour(
  y: i32,
  x: i32,
  k: i32,
  height: i32,
  width: i32,
  mask: usize,
  out: usize,
): i32 {
  const yy = y + load<i32>(DY + (<usize> k << 2));
  const xx = x + load<i32>(DX + (<usize> k << 2));
  if (<u32> yy >= <u32> height || <u32> xx >= <u32> width) return -1;
  const q = yy * width + xx;
  if (mask != 0 && load<u8>(mask + <usize> q) == 0) return -1;
  if (load<u32>(out + (<usize> q << 2)) != 0) return -1;
  return q;
}

/** Whether `v` occurs at least twice in the ascending array `sorted` (`count` values). */
function isTied(sorted: usize, count: i32, v: f64): bool {
  let a = 0;
  let b = count;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (load<f64>(sorted + (<usize> m << 3)) < v) a = m + 1;
    else b = m;
  }
  return a + 1 < count && load<f64>(sorted + (<usize> (a + 1) << 3)) == v;
}

/** Ascending in-place heapsort of `count` f64 values (no NaN). */
function sortF64(base: usize, count: i32): void {
  for (let start = (count >> 1) - 1; start >= 0; start--) siftDown(base, start, count);
  for (let end = count - 1; end > 0; end--) {
    const t = load<f64>(base);
    store<f64>(base, load<f64>(base + (<usize> end << 3)));
    store<f64>(base + (<usize> end << 3), t);
    siftDown(base, 0, end);
  }
}

function siftDown(base: usize, start: i32, end: i32): void {
  let root = start;
  while (true) {
    let child = 2 * root + 1;
    if (child >= end) return;
    const cv = load<f64>(base + (<usize> child << 3));
    if (child + 1 < end && load<f64>(base + (<usize> (child + 1) << 3)) > cv) child++;
    const rp = base + (<usize> root << 3);
    const chp = base + (<usize> child << 3);
    if (load<f64>(rp) >= load<f64>(chp)) return;
    const t = load<f64>(rp);
    store<f64>(rp, load<f64>(chp));
    store<f64>(chp, t);
    root = child;
  }
}
