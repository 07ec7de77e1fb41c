/**
 * The binary min-heap of skimage's watershed (`heap_general.pxi`): items ordered by `value`,
 * then by `age`. Push sifts up and pop moves the last item to the root and sifts down exactly as
 * skimage does (here by moving a hole instead of swapping, which yields the same arrangement),
 * so items with equal keys leave the heap in the same order as in skimage.
 * Items are 16 bytes: value f64 @0, age i32 @8, index i32 @12 (moved as one v128).
 * @module
 */

/** A growable heap of (value f64, age i32, index i32) items in unmanaged memory. */
export class MinHeap {
  /** Number of items. */
  size: i32 = 0;
  private cap: i32;
  private items: usize;

  constructor(capacity: i32) {
    this.cap = max(capacity, 16);
    this.items = heap.alloc(<usize> this.cap << 4);
  }

  /** Releases the heap's memory. */
  dispose(): void {
    heap.free(this.items);
  }

  /** Adds an item. */
  push(value: f64, age: i32, index: i32): void {
    if (this.size == this.cap) {
      this.cap <<= 1;
      this.items = heap.realloc(this.items, <usize> this.cap << 4);
    }
    const items = this.items;
    let child = this.size++;
    while (child > 0) {
      const parent = ((child + 1) >> 1) - 1;
      const pp = items + (<usize> parent << 4);
      const pv = load<f64>(pp);
      if (!(value < pv || (value == pv && age < load<i32>(pp, 8)))) break;
      v128.store(items + (<usize> child << 4), v128.load(pp));
      child = parent;
    }
    const cp = items + (<usize> child << 4);
    store<f64>(cp, value);
    store<i32>(cp, age, 8);
    store<i32>(cp, index, 12);
  }

  /** Index of the smallest item (heap must not be empty). */
  @inline
  topIndex(): i32 {
    return load<i32>(this.items, 12);
  }

  /** Age of the smallest item (heap must not be empty). */
  @inline
  topAge(): i32 {
    return load<i32>(this.items, 8);
  }

  /** Value of the smallest item (heap must not be empty). */
  @inline
  topValue(): f64 {
    return load<f64>(this.items);
  }

  /** Removes the smallest item. */
  pop(): void {
    const size = --this.size;
    if (size == 0) return;
    const items = this.items;
    const last = items + (<usize> size << 4);
    const value = load<f64>(last);
    const age = load<i32>(last, 8);
    const index = load<i32>(last, 12);
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= size) break;
      // smallest of (item being sifted, left, right), skimage's comparison order
      let sv = value;
      let sa = age;
      let smallest = i;
      const lp = items + (<usize> l << 4);
      const lv = load<f64>(lp);
      const la = load<i32>(lp, 8);
      if (lv < sv || (lv == sv && la < sa)) {
        smallest = l;
        sv = lv;
        sa = la;
      }
      const r = l + 1;
      if (r < size) {
        const rp = lp + 16;
        const rv = load<f64>(rp);
        if (rv < sv || (rv == sv && load<i32>(rp, 8) < sa)) smallest = r;
      }
      if (smallest == i) break;
      v128.store(items + (<usize> i << 4), v128.load(items + (<usize> smallest << 4)));
      i = smallest;
    }
    const ip = items + (<usize> i << 4);
    store<f64>(ip, value);
    store<i32>(ip, age, 8);
    store<i32>(ip, index, 12);
  }
}
