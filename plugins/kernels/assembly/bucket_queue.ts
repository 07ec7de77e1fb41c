/**
 * An exact priority queue of (value f64, age i32, index i32) items for flooding kernels
 * (watershed, fast marching), O(1) per push for well-spread values. A value's fine bucket is
 * `floor((value − base) / delta)` (monotone in the value); 64 fine buckets make a coarse bucket.
 * Coarse buckets ahead of the current one hold their items in chunks of 32 contiguous 16-byte
 * items (the heap's item layout) in a circular window of coarse slots; farther ones wait in an
 * overflow list. When a coarse bucket becomes current its items are counting-sorted into
 * sub-buckets of its fine buckets (as many as give about 16 items each, at most 4096), which become
 * current one at a time, sorted by (value, age) into a run read front to back (insertion sort;
 * merge sort for a large one — fronts of many cells share nearly equal arrival times, so a
 * sub-bucket can hold thousands). Pushes into the current coarse bucket go to a small
 * {@link MinHeap}. The smaller of the run's head and the heap's top is handed out, the latter only
 * when its fine bucket is at or below the current sub-bucket's, so it is smaller than every item
 * still outside; the pop order is exactly the (value, age) order whenever no two queued items
 * share both value and age — the same order as any binary heap with that comparison. Such late
 * pushes are rare (a pop's neighbours mostly arrive a sizeable part of a step later), so most
 * items leave through the run: a heap of a whole sub-bucket cost ~4× more per item.
 *
 * Memory access is sequential (a push appends to its bucket's last chunk, a bucket is read chunk
 * by chunk), unlike per-item linked lists whose nodes scatter over the whole band: with fronts
 * spread over a tile, walking such lists waited on memory for every item.
 *
 * The queue never looks items up by index: a caller that lowers a queued index's value pushes a
 * new item and skips the stale one when it pops (its value no longer matches), as with a heap.
 * Chunks are recycled through a free list, so memory follows the number of queued items.
 * @module
 */

import { before, insertionSort, isSorted, mergeSort, RUN_MAX } from "./item_sort";
import { MinHeap } from "./min_heap";

const NONE: i32 = -1;
const MAX_BUCKET: f64 = 4503599627370496.0; // 2^52
/** A caller's bucket (`delta`) is cut into 2^SPLIT_BITS fine buckets of the queue. */
const SPLIT_BITS: i32 = 6;
/** 2^FINE_BITS fine buckets (64 caller buckets) make a coarse bucket. */
const FINE_BITS: i32 = 6 + SPLIT_BITS;
const FINE: i32 = 1 << FINE_BITS;
const CHUNK: i32 = 32;
const CHUNK_SHIFT: i32 = 9; // CHUNK items of 16 bytes

/** Reverses the chunk list starting at the head slot `head` (links in `next`). */
function reverseList(head: usize, next: usize): void {
  let prev = NONE;
  let k = load<i32>(head);
  while (k != NONE) {
    const nx = load<i32>(next + (<usize> k << 2));
    store<i32>(next + (<usize> k << 2), prev);
    prev = k;
    k = nx;
  }
  store<i32>(head, prev);
}

/** The bucketed (value, age) queue described in the module comment. */
export class BucketQueue {
  /** The exact heap of the items pushed into the current coarse bucket. */
  private readonly heap: MinHeap;
  /** The current sub-bucket's items not yet popped, sorted: `run` up to `runEnd` (addresses). */
  private run: usize = 0;
  private runEnd: usize = 0;
  /** Whether the top settled on is the heap's (else the run's head). */
  private fromHeap: bool = false;
  private base: f64;
  private inv: f64;
  private mask: i64;
  private slots: i32;
  /** Current coarse bucket; every item outside the heap lies in a later fine bucket. */
  private cur: i64 = -1;
  /** Last fine bucket moved into the heap. */
  private curFine: i64 = -1;
  private listed: i32 = 0;
  private heads: usize;
  private data: usize;
  private next: usize;
  private fill: usize;
  private cap: i32 = 0;
  private used: i32 = 0;
  private free: i32 = NONE;
  private overflow: i32 = NONE;
  private overflowMin: i64 = <i64> MAX_BUCKET + 1;
  /** The current coarse bucket's items sorted by fine bucket, and the 65 bucket starts. */
  private sorted: usize;
  private sortedCap: i32 = 1024;
  private starts: usize;
  /** The current coarse bucket's items' sub-buckets while it loads (u16 each). */
  private partOf: usize;
  private partsCap: i32 = 1024;
  /**
   * The items (16 bytes each: value f64, age i32, index i32) of the last non-empty sub-bucket
   * moved into the heap, and their number; `batches` counts such moves. A caller may read the
   * state of these items (which pop next) ahead of time: the loads of a whole batch overlap,
   * those of one pop at a time wait one after the other. Valid until the next `settle`.
   */
  batch: usize = 0;
  /** Number of items at `batch`. */
  batchSize: i32 = 0;
  /** Number of batches so far. */
  batches: i32 = 0;
  /** Scratch space of `sortItems`. */
  private scratch: usize = 0;
  private scratchCap: usize = 0;
  /** The current coarse bucket's sub-buckets span `2^shift` fine buckets. */
  private shift: i32 = 0;

  /**
   * A queue with fine buckets of width `delta` from `base` and a window of about `slots` fine
   * buckets (rounded up to whole coarse buckets, a power of two of them, at most 2^24).
   */
  constructor(base: f64, delta: f64, slots: i32) {
    const coarse = (slots + 63) >> 6;
    let s = 16;
    while (s < coarse && s < (1 << 24)) s <<= 1;
    this.slots = s;
    this.mask = <i64> (s - 1);
    this.base = base;
    this.inv = (delta > 0 && delta < Infinity ? 1.0 / delta : 1.0) * <f64> (1 << SPLIT_BITS);
    this.heap = new MinHeap(1024);
    this.heads = heap.alloc(<usize> s << 2);
    memory.fill(this.heads, 0xff, <usize> s << 2);
    this.data = 0;
    this.next = 0;
    this.fill = 0;
    this.grow();
    this.sorted = heap.alloc(<usize> this.sortedCap << 4);
    this.starts = heap.alloc(<usize> (FINE + 1) << 2);
    this.partOf = heap.alloc(<usize> this.partsCap << 1);
  }

  /** Releases the queue's memory. */
  dispose(): void {
    this.heap.dispose();
    heap.free(this.heads);
    heap.free(this.data);
    heap.free(this.next);
    heap.free(this.fill);
    heap.free(this.sorted);
    heap.free(this.starts);
    heap.free(this.partOf);
    heap.free(this.scratch);
  }

  @inline
  private fineOf(value: f64): i64 {
    const b = Math.floor((value - this.base) * this.inv);
    if (!(b >= 0)) return 0;
    return b < MAX_BUCKET ? <i64> b : <i64> MAX_BUCKET;
  }

  /** Queues an item. */
  push(value: f64, age: i32, index: i32): void {
    const f = this.fineOf(value);
    const c = f >> FINE_BITS;
    if (c <= this.cur) {
      this.heap.push(value, age, index);
      return;
    }
    const slot = this.fileSlot(c);
    let k = load<i32>(slot);
    let n = k == NONE ? CHUNK : load<i32>(this.fill + (<usize> k << 2));
    if (n == CHUNK) {
      const fresh = this.chunk();
      store<i32>(this.next + (<usize> fresh << 2), k);
      store<i32>(slot, fresh);
      k = fresh;
      n = 0;
    }
    const at = this.data + (<usize> k << CHUNK_SHIFT) + (<usize> n << 4);
    store<f64>(at, value);
    store<i32>(at, age, 8);
    store<i32>(at, index, 12);
    store<i32>(this.fill + (<usize> k << 2), n + 1);
    this.listed++;
  }

  /**
   * Finds the smallest item; returns false when the queue is empty. Read it with `topIndex()` /
   * `topValue()` and remove it with `pop()`.
   */
  @inline
  settle(): bool {
    // the common case: the run has items and the heap none
    if (this.run < this.runEnd && this.heap.size == 0) {
      this.fromHeap = false;
      return true;
    }
    return this.settleSlow();
  }

  /** {@link settle} past the common case: the heap's top, the next sub-bucket or coarse bucket. */
  private settleSlow(): bool {
    const hp = this.heap;
    while (true) {
      const heapReady = hp.size > 0 && this.fineOf(hp.topValue()) <= this.curFine;
      if (this.run < this.runEnd) {
        this.fromHeap = heapReady && before(hp.topValue(), hp.topAge(), this.run);
        return true;
      }
      if (heapReady) {
        this.fromHeap = true;
        return true;
      }
      if (this.curFine < ((this.cur + 1) << FINE_BITS) - 1) {
        this.curFine += <i64> 1 << this.shift;
        this.moveFine(<i32> ((this.curFine & (FINE - 1)) >> this.shift));
        continue;
      }
      // the current coarse bucket is used up (so is the heap): load the next one
      if (this.listed == 0) return false;
      let found = false;
      for (let step = 1; step < this.slots; step++) {
        const c = this.cur + <i64> step;
        const head = this.heads + (<usize> (c & this.mask) << 2);
        if (load<i32>(head) == NONE) continue;
        this.load(c, head);
        found = true;
        break;
      }
      if (!found) this.rebase();
    }
  }

  /** Index of the item `settle` found. */
  @inline
  topIndex(): i32 {
    return this.fromHeap ? this.heap.topIndex() : load<i32>(this.run, 12);
  }

  /** Value of the item `settle` found. */
  @inline
  topValue(): f64 {
    return this.fromHeap ? this.heap.topValue() : load<f64>(this.run);
  }

  /** Removes the item `settle` found. */
  @inline
  pop(): void {
    if (this.fromHeap) this.heap.pop();
    else this.run += 16;
  }

  /** The head slot for coarse bucket `c` (> cur): its window slot, or the overflow list's. */
  @inline
  private fileSlot(c: i64): usize {
    if (c - this.cur < <i64> this.slots && c < this.overflowMin) {
      return this.heads + (<usize> (c & this.mask) << 2);
    }
    if (c < this.overflowMin) this.overflowMin = c;
    return changetype<usize>(this) + offsetof<BucketQueue>("overflow");
  }

  /** A free chunk id. */
  private chunk(): i32 {
    const k = this.free;
    if (k != NONE) {
      this.free = load<i32>(this.next + (<usize> k << 2));
      return k;
    }
    if (this.used == this.cap) this.grow();
    return this.used++;
  }

  private grow(): void {
    if (this.cap == 0) {
      this.cap = 64;
      this.data = heap.alloc(<usize> this.cap << CHUNK_SHIFT);
      this.next = heap.alloc(<usize> this.cap << 2);
      this.fill = heap.alloc(<usize> this.cap << 2);
      return;
    }
    this.cap <<= 1;
    this.data = heap.realloc(this.data, <usize> this.cap << CHUNK_SHIFT);
    this.next = heap.realloc(this.next, <usize> this.cap << 2);
    this.fill = heap.realloc(this.fill, <usize> this.cap << 2);
  }

  /**
   * Makes coarse bucket `c` (list at `head`) current: its items counting-sorted into
   * sub-buckets of `2^shift` fine buckets, about 16 items each (one sub-bucket for a sparse one).
   */
  private load(c: i64, head: usize): void {
    reverseList(head, this.next); // chunks in push order, so a plateau's items are in age order
    let total = 0;
    for (let k = load<i32>(head); k != NONE; k = load<i32>(this.next + (<usize> k << 2))) {
      total += load<i32>(this.fill + (<usize> k << 2));
    }
    let parts = 1;
    while (parts < FINE && parts * 16 < total) parts <<= 1;
    const shift = FINE_BITS - ctz(parts);
    this.shift = shift;
    this.cur = c;
    this.curFine = (c << FINE_BITS) - 1;
    const fineBase = c << FINE_BITS;
    const starts = this.starts;
    memory.fill(starts, 0, <usize> (parts + 1) << 2);
    if (total > this.partsCap) {
      while (this.partsCap < total) this.partsCap <<= 1;
      heap.free(this.partOf);
      this.partOf = heap.alloc(<usize> this.partsCap << 1);
    }
    // each item's sub-bucket, counted now and kept (u16: at most 4096) for placing it below
    let item = this.partOf;
    for (let k = load<i32>(head); k != NONE; k = load<i32>(this.next + (<usize> k << 2))) {
      const n = load<i32>(this.fill + (<usize> k << 2));
      const chunk = this.data + (<usize> k << CHUNK_SHIFT);
      for (let j = 0; j < n; j++) {
        const f = <i32> ((this.fineOf(load<f64>(chunk + (<usize> j << 4))) - fineBase) >> shift);
        store<u16>(item, <u16> f);
        item += 2;
        const at = starts + (<usize> (f + 1) << 2);
        store<i32>(at, load<i32>(at) + 1);
      }
    }
    for (let f = 1; f <= parts; f++) {
      const at = starts + (<usize> f << 2);
      store<i32>(at, load<i32>(at) + load<i32>(at - 4));
    }
    if (total > this.sortedCap) {
      while (this.sortedCap < total) this.sortedCap <<= 1;
      heap.free(this.sorted);
      this.sorted = heap.alloc(<usize> this.sortedCap << 4);
    }
    // place (starts[f] advances to the end of sub-bucket f, i.e. the start of f + 1)
    item = this.partOf;
    let k = load<i32>(head);
    store<i32>(head, NONE);
    while (k != NONE) {
      const n = load<i32>(this.fill + (<usize> k << 2));
      const chunk = this.data + (<usize> k << CHUNK_SHIFT);
      for (let j = 0; j < n; j++) {
        const f = <i32> load<u16>(item);
        item += 2;
        const at = starts + (<usize> f << 2);
        const pos = load<i32>(at);
        store<i32>(at, pos + 1);
        v128.store(this.sorted + (<usize> pos << 4), v128.load(chunk + (<usize> j << 4)));
      }
      const nx = load<i32>(this.next + (<usize> k << 2));
      store<i32>(this.next + (<usize> k << 2), this.free);
      this.free = k;
      k = nx;
    }
    this.listed -= total;
  }

  /** Makes sub-bucket `f` of the current coarse bucket the sorted run. */
  private moveFine(f: i32): void {
    // after `load`, starts[f] is the end of sub-bucket f, which begins at starts[f - 1] (or 0)
    const end = load<i32>(this.starts + (<usize> f << 2));
    const begin = f == 0 ? 0 : load<i32>(this.starts + (<usize> (f - 1) << 2));
    if (end == begin) return;
    const first = this.sorted + (<usize> begin << 4);
    const last = this.sorted + (<usize> end << 4);
    this.batch = first;
    this.batchSize = end - begin;
    this.batches++;
    if (end - begin > RUN_MAX && !isSorted(first, last)) this.sortItems(first, last);
    else insertionSort(first, last);
    this.run = first;
    this.runEnd = last;
  }

  /** Sorts the items in [first, last) by (value, age), through the scratch buffer. */
  private sortItems(first: usize, last: usize): void {
    const bytes = last - first;
    if (this.scratchCap < bytes) {
      heap.free(this.scratch);
      this.scratchCap = bytes;
      this.scratch = heap.alloc(bytes);
    }
    mergeSort(first, last, this.scratch);
  }

  /** The window is empty: move it to the smallest overflow bucket and re-file the overflow. */
  private rebase(): void {
    let lowest: i64 = <i64> MAX_BUCKET;
    for (let k = this.overflow; k != NONE; k = load<i32>(this.next + (<usize> k << 2))) {
      const n = load<i32>(this.fill + (<usize> k << 2));
      for (let j = 0; j < n; j++) {
        const v = load<f64>(this.data + (<usize> k << CHUNK_SHIFT) + (<usize> j << 4));
        const c = this.fineOf(v) >> FINE_BITS;
        if (c < lowest) lowest = c;
      }
    }
    this.cur = lowest - 1;
    this.curFine = (lowest << FINE_BITS) - 1;
    this.overflowMin = <i64> MAX_BUCKET + 1;
    let k = this.overflow;
    this.overflow = NONE;
    this.listed = 0;
    while (k != NONE) {
      const n = load<i32>(this.fill + (<usize> k << 2));
      const chunk = this.data + (<usize> k << CHUNK_SHIFT);
      for (let j = 0; j < n; j++) {
        const item = chunk + (<usize> j << 4);
        this.push(load<f64>(item), load<i32>(item, 8), load<i32>(item, 12));
      }
      const nx = load<i32>(this.next + (<usize> k << 2));
      store<i32>(this.next + (<usize> k << 2), this.free);
      this.free = k;
      k = nx;
    }
  }
}
