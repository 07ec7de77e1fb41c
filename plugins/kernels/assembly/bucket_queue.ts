/**
 * An exact priority queue of (value f64, age i32, index i32) items for flooding kernels
 * (watershed, fast marching), O(1) per push for well-spread values. Values map monotonically to
 * integer buckets `floor((value − base) / delta)`; buckets ahead of the current one are unsorted
 * linked lists of 16-byte nodes (the heap's item layout) in a circular window of `slots` buckets,
 * farther ones wait in an overflow list; the current bucket and everything pushed at or below it
 * live in a small {@link MinHeap}. The bucket map is monotone, so every heap item is smaller than
 * every listed item and the pop order is exactly the (value, age) order whenever no two queued
 * items share both value and age — the same order as any binary heap with that comparison.
 *
 * The queue never looks items up by index: a caller that lowers a queued index's value pushes a
 * new item and skips the stale one when it pops (its value no longer matches), as with a heap.
 * Nodes are recycled through a free list, so memory follows the number of queued items.
 * @module
 */

import { MinHeap } from "./min_heap";

const NONE: i32 = -1;
const MAX_BUCKET: f64 = 4503599627370496.0; // 2^52

/** The bucketed (value, age) queue described in the module comment. */
export class BucketQueue {
  /** The exact heap holding the current bucket and anything pushed at or below it. */
  readonly heap: MinHeap;
  private base: f64;
  private inv: f64;
  private mask: i64;
  private slots: i32;
  private cur: i64 = -1;
  private listed: i32 = 0;
  private heads: usize;
  private nodes: usize;
  private links: usize;
  private cap: i32;
  private used: i32 = 0;
  private free: i32 = NONE;
  private overflow: i32 = NONE;
  private overflowMin: i64 = <i64> MAX_BUCKET + 1;

  /**
   * A queue with buckets of width `delta` from `base` and a window of `slots` buckets (rounded up
   * to a power of two, at most 2^24).
   */
  constructor(base: f64, delta: f64, slots: i32) {
    let s = 16;
    while (s < slots && s < (1 << 24)) s <<= 1;
    this.slots = s;
    this.mask = <i64> (s - 1);
    this.base = base;
    this.inv = delta > 0 && delta < Infinity ? 1.0 / delta : 1.0;
    this.heap = new MinHeap(1024);
    this.heads = heap.alloc(<usize> s << 2);
    memory.fill(this.heads, 0xff, <usize> s << 2);
    this.cap = 4096;
    this.nodes = heap.alloc(<usize> this.cap << 4);
    this.links = heap.alloc(<usize> this.cap << 2);
  }

  /** Releases the queue's memory. */
  dispose(): void {
    this.heap.dispose();
    heap.free(this.heads);
    heap.free(this.nodes);
    heap.free(this.links);
  }

  @inline
  private bucketOf(value: f64): i64 {
    const b = Math.floor((value - this.base) * this.inv);
    if (!(b >= 0)) return 0;
    return b < MAX_BUCKET ? <i64> b : <i64> MAX_BUCKET;
  }

  /** Queues an item. */
  push(value: f64, age: i32, index: i32): void {
    const b = this.bucketOf(value);
    if (b <= this.cur) {
      this.heap.push(value, age, index);
      return;
    }
    let k = this.free;
    if (k != NONE) {
      this.free = load<i32>(this.links + (<usize> k << 2));
    } else {
      if (this.used == this.cap) this.grow();
      k = this.used++;
    }
    const node = this.nodes + (<usize> k << 4);
    store<f64>(node, value);
    store<i32>(node, age, 8);
    store<i32>(node, index, 12);
    this.file(k, b);
    this.listed++;
  }

  /**
   * Makes the smallest item the heap's top; returns false when the queue is empty. Read it with
   * `heap.topIndex()` / `heap.topValue()` and remove it with `heap.pop()`.
   */
  settle(): bool {
    while (this.heap.size == 0) {
      if (this.listed == 0) return false;
      let found = false;
      for (let step = 1; step < this.slots; step++) {
        const b = this.cur + <i64> step;
        const head = this.heads + (<usize> (b & this.mask) << 2);
        if (load<i32>(head) == NONE) continue;
        this.cur = b;
        this.drain(head);
        found = true;
        break;
      }
      if (!found) this.rebase();
    }
    return true;
  }

  private grow(): void {
    this.cap <<= 1;
    this.nodes = heap.realloc(this.nodes, <usize> this.cap << 4);
    this.links = heap.realloc(this.links, <usize> this.cap << 2);
  }

  /** Moves every node of the list at `head` into the heap and frees it. */
  private drain(head: usize): void {
    let k = load<i32>(head);
    store<i32>(head, NONE);
    const hp = this.heap;
    while (k != NONE) {
      const node = this.nodes + (<usize> k << 4);
      hp.push(load<f64>(node), load<i32>(node, 8), load<i32>(node, 12));
      const nx = load<i32>(this.links + (<usize> k << 2));
      store<i32>(this.links + (<usize> k << 2), this.free);
      this.free = k;
      this.listed--;
      k = nx;
    }
  }

  /** The window is empty: move it to the smallest overflow bucket and re-file the overflow. */
  private rebase(): void {
    let lowest: i64 = <i64> MAX_BUCKET;
    for (let k = this.overflow; k != NONE; k = load<i32>(this.links + (<usize> k << 2))) {
      const b = this.bucketOf(load<f64>(this.nodes + (<usize> k << 4)));
      if (b < lowest) lowest = b;
    }
    this.cur = lowest - 1;
    this.overflowMin = <i64> MAX_BUCKET + 1;
    let k = this.overflow;
    this.overflow = NONE;
    while (k != NONE) {
      const nx = load<i32>(this.links + (<usize> k << 2));
      this.file(k, this.bucketOf(load<f64>(this.nodes + (<usize> k << 4))));
      k = nx;
    }
  }

  /**
   * Files node `k` (bucket `b` > cur) in the window or the overflow list, keeping every window
   * bucket below every overflow bucket: the window takes `b` only below `overflowMin`, the
   * smallest bucket sent to the overflow since the last rebase.
   */
  @inline
  private file(k: i32, b: i64): void {
    if (b - this.cur < <i64> this.slots && b < this.overflowMin) {
      const head = this.heads + (<usize> (b & this.mask) << 2);
      store<i32>(this.links + (<usize> k << 2), load<i32>(head));
      store<i32>(head, k);
    } else {
      store<i32>(this.links + (<usize> k << 2), this.overflow);
      this.overflow = k;
      if (b < this.overflowMin) this.overflowMin = b;
    }
  }
}
