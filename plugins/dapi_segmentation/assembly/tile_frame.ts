// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * Where a tile sits in the image, as the tile-aware steps need it: its size, global origin, the
 * image size, and which of its sides are the image's border (steps that treat the image border
 * specially — edge-label removal, peak border exclusion — do so only there, so a tile's core
 * gets the result the whole image would).
 * @module
 */

import { TileRegion } from "../../sdk/assembly/segmentation";

/** A tile's frame in the image. */
export class TileFrame {
  /** Tile rows. */
  height: i32;
  /** Tile columns. */
  width: i32;
  /** Global row of the tile's first pixel. */
  originY: i32;
  /** Global column of the tile's first pixel. */
  originX: i32;
  /** Image rows. */
  imageHeight: i32;
  /** Image columns. */
  imageWidth: i32;

  constructor(region: TileRegion, height: i32, width: i32) {
    this.height = height;
    this.width = width;
    this.originY = region.originY;
    this.originX = region.originX;
    // A region without image size (0) means the tile is the whole image.
    this.imageHeight = region.imageHeight > 0 ? region.imageHeight : region.originY + height;
    this.imageWidth = region.imageWidth > 0 ? region.imageWidth : region.originX + width;
  }

  /** Pixels in the tile. */
  @inline
  get size(): i32 {
    return this.height * this.width;
  }

  /** The tile's first row is the image's first row. */
  @inline
  get top(): bool {
    return this.originY == 0;
  }

  /** The tile's last row is the image's last row. */
  @inline
  get bottom(): bool {
    return this.originY + this.height >= this.imageHeight;
  }

  /** The tile's first column is the image's first column. */
  @inline
  get left(): bool {
    return this.originX == 0;
  }

  /** The tile's last column is the image's last column. */
  @inline
  get right(): bool {
    return this.originX + this.width >= this.imageWidth;
  }
}
