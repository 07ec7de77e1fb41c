/**
 * A few spent buffers kept for reuse, found by size. Filling a used buffer costs nothing extra,
 * where fresh memory costs a page fault per 4 KiB on first touch (17 µs on the measuring VM:
 * 140 ms for a 32 MB buffer), so large per-tile buffers go round trip instead of being dropped.
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

  /** Removes and returns a kept buffer of exactly `byteLength` bytes, if there is one. */
  take(byteLength: number): ArrayBuffer | undefined {
    const i = this.#buffers.findIndex((b) => b.byteLength === byteLength);
    return i < 0 ? undefined : this.#buffers.splice(i, 1)[0];
  }

  /** Drops every kept buffer. */
  clear(): void {
    this.#buffers = [];
  }
}
