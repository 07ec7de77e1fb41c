/**
 * Where the synthetic cells are: one candidate cell per square of a grid with pitch
 * `cellDiameter`, jittered, some squares empty. A cell and all its parameters are a pure function
 * of (seed, grid row, grid column), so any window needs only the cells of nearby grid squares.
 * @module
 */
import { CellRandom } from "./hash_noise.ts";

/** One synthetic cell. Lengths in pixels, intensities in uint16 counts before noise. */
export interface SyntheticCell {
  /** Stable instance id (grid row × grid columns + grid column + 1). */
  id: number;
  /** Cell centre row. */
  cy: number;
  /** Cell centre column. */
  cx: number;
  /** Cell body semi-axes along its own orientation. */
  ra: number;
  /** Second semi-axis. */
  rb: number;
  /** cos and sin of the cell body orientation. */
  cos: number;
  /** See `cos`. */
  sin: number;
  /** Nucleus centre row. */
  ny: number;
  /** Nucleus centre column. */
  nx: number;
  /** Nucleus semi-axes. */
  na: number;
  /** Second nucleus semi-axis. */
  nb: number;
  /** cos and sin of the nucleus orientation. */
  ncos: number;
  /** See `ncos`. */
  nsin: number;
  /** DNA stain brightness. */
  dnaLevel: number;
  /** Membrane rim brightness. */
  rimLevel: number;
  /** Cytosol brightness in the membrane channel. */
  cytoLevel: number;
  /** Per-marker cell brightness (cell-to-cell varying, log-normal). */
  markerLevels: number[];
  /** Number of bright puncta of the first marker. */
  puncta: number;
}

/** The grid the cells sit on. */
export interface CellGrid {
  /** Grid pitch in pixels (the nominal cell diameter). */
  pitch: number;
  /** Grid rows covering the image. */
  rows: number;
  /** Grid columns covering the image. */
  cols: number;
  /** Seed. */
  seed: number;
  /** Marker channels per cell. */
  markers: number;
}

/** Fraction of grid squares that hold a cell. */
const DENSITY = 0.88;

/** The grid of an image of `height` × `width`. */
export function cellGrid(
  height: number,
  width: number,
  cellDiameter: number,
  seed: number,
  markers: number,
): CellGrid {
  return {
    pitch: cellDiameter,
    rows: Math.ceil(height / cellDiameter),
    cols: Math.ceil(width / cellDiameter),
    seed,
    markers,
  };
}

/** The cell of grid square (row, col), or `undefined` if the square is empty. */
export function cellAt(grid: CellGrid, row: number, col: number): SyntheticCell | undefined {
  const r = new CellRandom(grid.seed, row, col);
  if (r.next() >= DENSITY) return undefined;
  const p = grid.pitch;
  const cy = (row + 0.5 + r.range(-0.2, 0.2)) * p;
  const cx = (col + 0.5 + r.range(-0.2, 0.2)) * p;
  const ra = r.range(0.52, 0.66) * p;
  const rb = ra * r.range(0.75, 1.0);
  const angle = r.range(0, Math.PI);
  const na = r.range(0.21, 0.28) * p;
  const nb = na * r.range(0.7, 1.0);
  const nangle = angle + r.range(-0.4, 0.4);
  const markerLevels: number[] = [];
  for (let m = 0; m < grid.markers; m++) {
    // Log-normal around 1500 counts, occasional strongly positive cells.
    const z = r.range(-1, 1) + r.range(-1, 1) + r.range(-1, 1);
    markerLevels.push(1500 * Math.exp(0.6 * z) * (r.next() < 0.15 ? 4 : 1));
  }
  return {
    id: row * grid.cols + col + 1,
    cy,
    cx,
    ra,
    rb,
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    ny: cy + r.range(-0.05, 0.05) * p,
    nx: cx + r.range(-0.05, 0.05) * p,
    na,
    nb,
    ncos: Math.cos(nangle),
    nsin: Math.sin(nangle),
    dnaLevel: r.range(9000, 16000) * (r.next() < 0.05 ? 1.8 : 1),
    rimLevel: r.range(3500, 6000),
    cytoLevel: r.range(900, 1600),
    markerLevels,
    puncta: r.next() < 0.35 ? Math.floor(r.range(4, 16)) : 0,
  };
}

/** Largest distance from a cell's centre to any pixel it can own, in grid pitches. */
export const CELL_REACH = 0.66 * 1.1;

/** All cells that can own a pixel of rows [y0, y1) × columns [x0, x1), in grid order. */
export function cellsNear(
  grid: CellGrid,
  y0: number,
  y1: number,
  x0: number,
  x1: number,
): SyntheticCell[] {
  const p = grid.pitch;
  const reach = CELL_REACH * p + 0.7 * p;
  const rowLo = Math.max(0, Math.floor((y0 - reach) / p));
  const rowHi = Math.min(grid.rows - 1, Math.floor((y1 + reach) / p));
  const colLo = Math.max(0, Math.floor((x0 - reach) / p));
  const colHi = Math.min(grid.cols - 1, Math.floor((x1 + reach) / p));
  const cells: SyntheticCell[] = [];
  for (let row = rowLo; row <= rowHi; row++) {
    for (let col = colLo; col <= colHi; col++) {
      const cell = cellAt(grid, row, col);
      if (cell !== undefined) cells.push(cell);
    }
  }
  return cells;
}
