/**
 * A cache- and TLB-friendly grid of per-pixel f64 pairs for flooding kernels (fast marching):
 * the image, padded by sentinel pixels (`STRIP_PAD` columns, `STRIP_PAD_ROWS` rows), is cut into vertical strips of
 * 8 columns; a strip stores its rows one after the other, each row as a 128-byte record of the
 * 8 pixels' first values (lanes 0..7) followed by their second values (lanes 8..15). A pixel's
 * 5×5 neighbourhood thus lies in one or two strips within a few hundred bytes, instead of on five
 * rows of a row-major plane (five pages apart for a 2048-pixel row), which is what made a
 * front spread over a whole tile wait on memory.
 *
 * Indices are in f64 units: pixel (y, x) has first value at `index(y, x)` and second value at
 * `index(y, x) + 8`. Up / down are `i ∓ 16`, left / right need `left` / `right`
 * (crossing into the neighbouring strip at lanes 0 / 7).
 *
 * The caller releases the grid with `dispose` when done, so the memory serves the next
 * allocations (a plugin's wasm memory never shrinks; holding the grid between tiles would add its
 * 16 bytes per pixel to every later step's peak).
 * @module
 */

/** Sentinel columns on each side (the second-order stencil reaches two pixels). */
export const STRIP_PAD: i32 = 2;
/**
 * Sentinel rows above and below: the stencils of a pixel's neighbours reach three rows, which
 * callers may read ahead of time (see `BucketQueue.prefetch`).
 */
export const STRIP_PAD_ROWS: i32 = 3;
/** f64 slots per strip row record (8 first values + 8 second values). */
export const STRIP_RECORD: i32 = 16;

/** The strip layout of a `height × width` image (see the module comment). */
export class StripGrid {
  /** f64 slots between one strip and the next. */
  readonly stride: i32;
  /** Base address of the buffer. */
  readonly base: usize;
  /** Number of strips. */
  readonly strips: i32;

  /**
   * Allocates a `height × width` grid. The sentinel pixels' slots are NaN; the caller must write
   * both values of every image pixel.
   */
  constructor(readonly height: i32, readonly width: i32) {
    this.strips = (width + 2 * STRIP_PAD + 7) >> 3;
    this.stride = (height + 2 * STRIP_PAD_ROWS) * STRIP_RECORD;
    this.base = heap.alloc((<usize> this.strips * <usize> this.stride) << 3);
    this.clearPadding();
  }

  /** Releases the grid's memory. */
  dispose(): void {
    heap.free(this.base);
  }

  /** Writes NaN (all-ones bits) into both values of every sentinel pixel. */
  private clearPadding(): void {
    const rowBytes = <usize> STRIP_RECORD << 3;
    const padBytes = <usize> STRIP_PAD_ROWS * rowBytes;
    const h = this.height;
    for (let s = 0; s < this.strips; s++) {
      const strip = this.base + ((<usize> s * <usize> this.stride) << 3);
      memory.fill(strip, 0xff, padBytes);
      memory.fill(strip + <usize> (h + STRIP_PAD_ROWS) * rowBytes, 0xff, padBytes);
    }
    const lastX = this.strips * 8 - STRIP_PAD; // padded columns end at x = lastX - 1
    for (let y = 0; y < h; y++) {
      for (let x = -STRIP_PAD; x < 0; x++) this.clearPixel(y, x);
      for (let x = this.width; x < lastX; x++) this.clearPixel(y, x);
    }
  }

  @inline
  private clearPixel(y: i32, x: i32): void {
    const at = this.at(this.index(y, x));
    store<u64>(at, 0xffffffffffffffff);
    store<u64>(at, 0xffffffffffffffff, 64);
  }

  /** Slot index of the first value of pixel (y, x). */
  @inline
  index(y: i32, x: i32): i32 {
    const px = x + STRIP_PAD;
    return (px >> 3) * this.stride + (y + STRIP_PAD_ROWS) * STRIP_RECORD + (px & 7);
  }

  /** The slot of the pixel left of slot `i` (a first-value slot). */
  @inline
  left(i: i32): i32 {
    return (i & 7) != 0 ? i - 1 : i - this.stride + 7;
  }

  /** The slot of the pixel right of slot `i` (a first-value slot). */
  @inline
  right(i: i32): i32 {
    return (i & 7) != 7 ? i + 1 : i + this.stride - 7;
  }

  /** Address of slot `i`. */
  @inline
  at(i: i32): usize {
    return this.base + (<usize> i << 3);
  }
}
