/**
 * Groups cells into tiles so the image is streamed tile by tile: each tile reads the bounding box of
 * its cells' windows (the tile plus a halo of half the window) once for all masks and channels.
 * @module
 */
import type { PixelWindow } from "../../io/image_source.ts";
import type { CellSelection } from "./select_cells.ts";

/** One tile of work: the window to read and the rows (save indices) of its cells. */
export interface TileJob {
  /** Region to read, covering every cell window of the tile. */
  window: PixelWindow;
  /** Output rows of the cells, ascending. */
  rows: number[];
}

/** Plans tiles of `tileSize` pixels by cell centre; tiles come in row-major order. */
export function planTiles(sel: CellSelection, imageSize: number, tileSize: number): TileJob[] {
  const half = imageSize / 2;
  const byTile = new Map<string, number[]>();
  for (let row = 0; row < sel.ids.length; row++) {
    const key = `${Math.floor(sel.y[row] / tileSize)}:${Math.floor(sel.x[row] / tileSize)}`;
    const list = byTile.get(key);
    if (list) list.push(row);
    else byTile.set(key, [row]);
  }
  const keys = [...byTile.keys()].sort((a, b) => {
    const [ay, ax] = a.split(":").map(Number);
    const [by, bx] = b.split(":").map(Number);
    return ay - by || ax - bx;
  });
  return keys.map((key) => {
    const rows = byTile.get(key)!;
    let y0 = Infinity, x0 = Infinity, y1 = -Infinity, x1 = -Infinity;
    for (const r of rows) {
      y0 = Math.min(y0, sel.y[r] - half);
      x0 = Math.min(x0, sel.x[r] - half);
      y1 = Math.max(y1, sel.y[r] + half);
      x1 = Math.max(x1, sel.x[r] + half);
    }
    return { window: { y: y0, x: x0, height: y1 - y0, width: x1 - x0 }, rows };
  });
}
