// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * Image tiles as the author sees them: shape plus an unmanaged view of the pixels.
 * @module
 */

import { freeArg, liftList, RawArray } from "./memory";

/** A stack of 16-bit planes (`types.tile-u16`), channel-major then row-major. */
export class TileU16 {
  constructor(
    public channels: i32,
    public height: i32,
    public width: i32,
    public data: RawArray<u16>,
  ) {}

  /** Pixels per plane. */
  @inline
  get planeSize(): i32 {
    return this.height * this.width;
  }

  /** Address of plane `c` (for pointer loops and SIMD). */
  @inline
  plane(c: i32): usize {
    return this.data.ptr + ((<usize> c * <usize> this.planeSize) << 1);
  }

  /** Pixel of channel `c`, row `y`, column `x`. */
  @inline
  at(c: i32, y: i32, x: i32): u16 {
    return load<u16>(this.plane(c) + ((<usize> y * <usize> this.width + <usize> x) << 1));
  }

  /** An empty string when `data` has `channels * height * width` pixels, else what is wrong. */
  checkShape(name: string): string {
    const want = <i64> this.channels * <i64> this.height * <i64> this.width;
    if (<i64> this.data.length != want) {
      return name + " has " + this.data.length.toString() + " pixels but its shape " +
        this.channels.toString() + "x" + this.height.toString() + "x" + this.width.toString() +
        " needs " + want.toString();
    }
    return "";
  }
}

/** A stack of f32 planes (`types.tile-f32`), channel-major then row-major. */
export class TileF32 {
  constructor(
    public channels: i32,
    public height: i32,
    public width: i32,
    public data: RawArray<f32>,
  ) {}

  /** Address of plane `c`. */
  @inline
  plane(c: i32): usize {
    return this.data.ptr + ((<usize> c * <usize> this.height * <usize> this.width) << 2);
  }
}

/** Lifts a `tile-u16` record stored at `at` (channels, height, width, data list). */
export function liftTileU16(at: usize): TileU16 {
  return new TileU16(
    <i32> load<u32>(at),
    <i32> load<u32>(at, 4),
    <i32> load<u32>(at, 8),
    liftList<u16>(at + 12),
  );
}

/** Frees the pixel buffer of an argument tile after the call. */
export function freeTileU16(t: TileU16): void {
  freeArg(t.data.ptr);
  t.data.ptr = 0;
  t.data.length = 0;
}
