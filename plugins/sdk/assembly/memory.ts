/**
 * Canonical-ABI memory: `cabi_realloc`, unmanaged arrays that cross the boundary without a copy,
 * and the list of result buffers freed in `cabi_post_*`.
 *
 * Argument buffers are allocated by the host through `cabi_realloc` and owned by the plugin; the
 * SDK frees them when the method returns. Result buffers are allocated with `heap.alloc` and freed
 * by the SDK when the host calls the export's post-return function.
 * @module
 */

/** The canonical-ABI allocator the host calls to place arguments into linear memory. */
export function cabi_realloc(
  oldPtr: usize,
  _oldSize: usize,
  _align: usize,
  newSize: usize,
): usize {
  // TLSF blocks are 16-byte aligned, which covers every alignment of the contract (≤ 8).
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

const deferred = new Array<usize>();

/** Frees `ptr` after the host has read the current result (in `cabi_post_*`). */
export function freeAfterReturn(ptr: usize): void {
  if (ptr != 0) deferred.push(ptr);
}

/** Frees every buffer registered with {@link freeAfterReturn}. Called by the post-return glue. */
export function freeDeferred(): void {
  for (let i = 0, n = deferred.length; i < n; i++) heap.free(unchecked(deferred[i]));
  deferred.length = 0;
}

/** Frees an argument buffer handed over by the host (no-op for null). */
export function freeArg(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/**
 * A numeric array in unmanaged memory: either a view of an argument list the host passed in
 * (valid during the call), or an output the author fills and the SDK hands to the host without
 * copying. Element `i` lives at `ptr + i * sizeof<T>()`; hot loops may use `load<T>`/`store<T>`
 * or `v128.load` on `ptr` directly.
 */
export class RawArray<T> {
  /** Address of element 0 in linear memory. */
  ptr: usize;
  /** Number of elements. */
  length: i32;
  /** Number of elements the buffer can hold before it grows. */
  capacity: i32;

  constructor(ptr: usize, length: i32, capacity: i32) {
    this.ptr = ptr;
    this.length = length;
    this.capacity = capacity;
  }

  /** A zero-filled array of `length` elements. */
  static zeroed<T>(length: i32): RawArray<T> {
    const bytes = <usize> max(length, 1) * sizeof<T>();
    const ptr = heap.alloc(bytes);
    memory.fill(ptr, 0, bytes);
    return new RawArray<T>(ptr, length, max(length, 1));
  }

  /** An empty array with room for `capacity` elements, grown by {@link push}. */
  static withCapacity<T>(capacity: i32): RawArray<T> {
    const cap = max(capacity, 4);
    return new RawArray<T>(heap.alloc(<usize> cap * sizeof<T>()), 0, cap);
  }

  /** Element `i` (no bounds check). */
  @inline
  get(i: i32): T {
    return load<T>(this.ptr + (<usize> i << alignof<T>()));
  }

  /** Sets element `i` (no bounds check). */
  @inline
  set(i: i32, value: T): void {
    store<T>(this.ptr + (<usize> i << alignof<T>()), value);
  }

  /** Appends one element, doubling the buffer when full. */
  push(value: T): void {
    if (this.length == this.capacity) {
      this.capacity = this.capacity * 2;
      this.ptr = heap.realloc(this.ptr, <usize> this.capacity * sizeof<T>());
    }
    store<T>(this.ptr + (<usize> this.length << alignof<T>()), value);
    this.length++;
  }

  /** A managed copy, for code that prefers ordinary typed arrays over pointers. */
  toStaticArray(): StaticArray<T> {
    const out = new StaticArray<T>(this.length);
    memory.copy(changetype<usize>(out), this.ptr, <usize> this.length * sizeof<T>());
    return out;
  }

  /**
   * Gives the buffer to the host as a canonical-ABI list: stores `ptr` and `length` at `at` and
   * `at + 4`, and frees the buffer after the host has read it. The array is empty afterwards.
   * `count` overrides the list length when several elements form one record (e.g. 4 × u32).
   */
  lowerInto(at: usize, count: i32 = -1): void {
    store<u32>(at, <u32> this.ptr);
    store<u32>(at, <u32> (count < 0 ? this.length : count), 4);
    freeAfterReturn(this.ptr);
    this.ptr = 0;
    this.length = 0;
    this.capacity = 0;
  }

  /** Frees the buffer now (for scratch arrays that never reach the host). */
  dispose(): void {
    if (this.ptr != 0) heap.free(this.ptr);
    this.ptr = 0;
    this.length = 0;
    this.capacity = 0;
  }
}

/** A view of an argument list `(ptr, len)` stored at `at` in linear memory. */
export function liftList<T>(at: usize): RawArray<T> {
  const len = <i32> load<u32>(at, 4);
  return new RawArray<T>(<usize> load<u32>(at), len, len);
}
