/**
 * A few spent buffers kept for reuse, found by size: the smallest that holds what is asked for
 * (tiles at the image's edges are smaller, and exact sizes missed most of the time). Filling a
 * used buffer costs nothing extra, where fresh memory costs a page fault per 4 KiB on first touch
 * (17 µs on the measuring VM: 140 ms for a 32 MB buffer), so large per-tile buffers go round trip
 * instead of being dropped. Callers use a view of the first bytes they need.
 * @module
 */

/** Spent `ArrayBuffer`s, at most `capacity` (the oldest are dropped first). */
export class BufferShelf {
  #buffers: ArrayBuffer[] = [];

  /** A shelf keeping at most `capacity` buffers. */
  constructor(readonly capacity: number) {}

  /** Keeps `buffer` for a later {@link take}. */
  put(buffer: ArrayBuffer): void {
    this.#buffers.push(buffer);
    if (this.#buffers.length > this.capacity) this.#buffers.shift();
  }

  /** Removes and returns the smallest kept buffer of at least `byteLength` bytes, if any. */
  take(byteLength: number): ArrayBuffer | undefined {
    let best = -1;
    this.#buffers.forEach((b, i) => {
      if (
        b.byteLength >= byteLength && (best < 0 || b.byteLength < this.#buffers[best].byteLength)
      ) {
        best = i;
      }
    });
    return best < 0 ? undefined : this.#buffers.splice(best, 1)[0];
  }

  /** Drops every kept buffer. */
  clear(): void {
    this.#buffers = [];
  }
}
