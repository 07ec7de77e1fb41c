/**
 * The binary min-heap of skimage's watershed (`heap_general.pxi`): items ordered by `value`,
 * then by `age`; the same push/pop sift steps, so items with equal keys leave the heap in the
 * same order as in skimage.
 * @module
 */

/** A growable heap of (value f64, age i32, index i32) items in unmanaged memory. */
export class MinHeap {
  /** Number of items. */
  size: i32 = 0;
  private cap: i32;
  private values: usize;
  private ages: usize;
  private indices: usize;

  constructor(capacity: i32) {
    this.cap = max(capacity, 16);
    this.values = heap.alloc(<usize> this.cap << 3);
    this.ages = heap.alloc(<usize> this.cap << 2);
    this.indices = heap.alloc(<usize> this.cap << 2);
  }

  /** Releases the heap's memory. */
  dispose(): void {
    heap.free(this.values);
    heap.free(this.ages);
    heap.free(this.indices);
  }

  @inline
  private smaller(a: i32, b: i32): bool {
    const va = load<f64>(this.values + (<usize> a << 3));
    const vb = load<f64>(this.values + (<usize> b << 3));
    if (va != vb) return va < vb;
    return load<i32>(this.ages + (<usize> a << 2)) < load<i32>(this.ages + (<usize> b << 2));
  }

  @inline
  private swap(a: i32, b: i32): void {
    const pa = <usize> a;
    const pb = <usize> b;
    const v = load<f64>(this.values + (pa << 3));
    store<f64>(this.values + (pa << 3), load<f64>(this.values + (pb << 3)));
    store<f64>(this.values + (pb << 3), v);
    const g = load<i32>(this.ages + (pa << 2));
    store<i32>(this.ages + (pa << 2), load<i32>(this.ages + (pb << 2)));
    store<i32>(this.ages + (pb << 2), g);
    const i = load<i32>(this.indices + (pa << 2));
    store<i32>(this.indices + (pa << 2), load<i32>(this.indices + (pb << 2)));
    store<i32>(this.indices + (pb << 2), i);
  }

  /** Adds an item. */
  push(value: f64, age: i32, index: i32): void {
    if (this.size == this.cap) {
      this.cap <<= 1;
      this.values = heap.realloc(this.values, <usize> this.cap << 3);
      this.ages = heap.realloc(this.ages, <usize> this.cap << 2);
      this.indices = heap.realloc(this.indices, <usize> this.cap << 2);
    }
    let child = this.size;
    store<f64>(this.values + (<usize> child << 3), value);
    store<i32>(this.ages + (<usize> child << 2), age);
    store<i32>(this.indices + (<usize> child << 2), index);
    this.size++;
    while (child > 0) {
      const parent = ((child + 1) >> 1) - 1;
      if (!this.smaller(child, parent)) break;
      this.swap(parent, child);
      child = parent;
    }
  }

  /** Index of the smallest item (heap must not be empty). */
  @inline
  topIndex(): i32 {
    return load<i32>(this.indices);
  }

  /** Value of the smallest item (heap must not be empty). */
  @inline
  topValue(): f64 {
    return load<f64>(this.values);
  }

  /** Removes the smallest item. */
  pop(): void {
    this.size--;
    if (this.size == 0) return;
    this.swap(0, this.size);
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l >= this.size) break;
      if (this.smaller(l, i)) smallest = l;
      if (r < this.size && this.smaller(r, smallest)) smallest = r;
      if (smallest == i) break;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
