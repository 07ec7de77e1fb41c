/**
 * The segmentation tiling: square core tiles on a grid aligned to the output label chunks, each
 * read with a halo around it. Every pixel lies in exactly one core; an object belongs to the tile
 * whose core holds its anchor, and its pixels may reach into the halo, so a core's final labels
 * depend on the tiles within `reach` tiles of it (its neighbourhood).
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { PixelWindow } from "../../io/image_source.ts";

/** One tile of the grid. */
export interface SegmentTile {
  /** Journal key part, `<ty>_<tx>`. */
  key: string;
  /** Tile row. */
  ty: number;
  /** Tile column. */
  tx: number;
  /** The core rectangle (global pixels). */
  core: PixelWindow;
  /** The core plus the halo, clipped to the image (global pixels): what the plugin sees. */
  outer: PixelWindow;
}

/** The tiling of one image. */
export interface TileGrid {
  /** Image height. */
  height: number;
  /** Image width. */
  width: number;
  /** Side of a core tile (a multiple of `chunk`). */
  tileSize: number;
  /** Halo in pixels on every side. */
  halo: number;
  /** Side of the output label chunks. */
  chunk: number;
  /** Tile rows. */
  rows: number;
  /** Tile columns. */
  cols: number;
  /** How many tiles away a tile's owned pixels can reach: `ceil(halo / tileSize)`. */
  reach: number;
  /** Every tile, row-major. */
  tiles: SegmentTile[];
}

/**
 * The label chunk side and effective core tile side for a requested `tileSize`: the chunk is the
 * input's chunk side, or `tileSize` when that is smaller; the tile is rounded up to a multiple of
 * the chunk so that each core covers whole output chunks.
 */
export function tileGeometry(
  tileSize: number,
  inputChunk: number,
): { tileSize: number; chunk: number } {
  if (!Number.isInteger(tileSize) || tileSize < 16) {
    throw new ScportraitError(
      "USAGE",
      `Tile size ${tileSize} is not allowed: use an integer of at least 16 pixels ` +
        "(--tile-size or segmentation.tile_size).",
    );
  }
  const chunk = Math.min(inputChunk, tileSize);
  return { tileSize: Math.ceil(tileSize / chunk) * chunk, chunk };
}

/** Plans the tiles of a `height × width` image. */
export function planTiles(
  height: number,
  width: number,
  tileSize: number,
  halo: number,
  chunk: number,
): TileGrid {
  if (tileSize % chunk !== 0 || halo < 0 || !Number.isInteger(halo)) {
    throw new ScportraitError(
      "USAGE",
      `Tile size ${tileSize} must be a multiple of the chunk ${chunk} and halo ${halo} a ` +
        "non-negative integer.",
    );
  }
  const rows = Math.max(1, Math.ceil(height / tileSize));
  const cols = Math.max(1, Math.ceil(width / tileSize));
  const tiles: SegmentTile[] = [];
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      const y = ty * tileSize, x = tx * tileSize;
      const core = {
        y,
        x,
        height: Math.min(tileSize, height - y),
        width: Math.min(tileSize, width - x),
      };
      const oy = Math.max(0, y - halo), ox = Math.max(0, x - halo);
      const outer = {
        y: oy,
        x: ox,
        height: Math.min(height, y + core.height + halo) - oy,
        width: Math.min(width, x + core.width + halo) - ox,
      };
      tiles.push({ key: `${ty}_${tx}`, ty, tx, core, outer });
    }
  }
  const reach = Math.ceil(halo / tileSize);
  return { height, width, tileSize, halo, chunk, rows, cols, reach, tiles };
}

/** The tiles whose outer window can overlap `tile`'s core (itself included), row-major. */
export function neighbourhood(grid: TileGrid, tile: SegmentTile): SegmentTile[] {
  const out: SegmentTile[] = [];
  const r = grid.reach;
  for (let ty = Math.max(0, tile.ty - r); ty <= Math.min(grid.rows - 1, tile.ty + r); ty++) {
    for (let tx = Math.max(0, tile.tx - r); tx <= Math.min(grid.cols - 1, tile.tx + r); tx++) {
      out.push(grid.tiles[ty * grid.cols + tx]);
    }
  }
  return out;
}

/** The intersection of two windows, or null when they do not overlap. */
export function intersect(a: PixelWindow, b: PixelWindow): PixelWindow | null {
  const y = Math.max(a.y, b.y), x = Math.max(a.x, b.x);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  return y1 > y && x1 > x ? { y, x, height: y1 - y, width: x1 - x } : null;
}
