/**
 * Which cells extraction keeps (spec §4.1 steps 5–7): centres rounded half-to-even like `np.round`,
 * optional seeded partial sampling before the border filter, and the border rule
 * `w < x < W − w` and `w < y < H − w` with `w = image_size / 2`.
 * @module
 */
import { roundHalfEven } from "../../kernels/round_half_even.ts";
import type { CellCenters } from "./extraction_source.ts";

/** Kept cells in save order, and the ids removed by the border rule. */
export interface CellSelection {
  /** Ids of the kept cells, in output row order. */
  ids: BigUint64Array;
  /** Rounded centre column of each kept cell. */
  x: Int32Array;
  /** Rounded centre row of each kept cell. */
  y: Int32Array;
  /** Ids dropped for being too close to the border. */
  removed: BigUint64Array;
}

/** mulberry32: a small seeded PRNG for partial sampling. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` distinct indices of `0..total-1` chosen with `seed`, ascending. */
export function sampleIndices(total: number, n: number, seed: number): number[] {
  const k = Math.min(n, total);
  const pool = Array.from({ length: total }, (_, i) => i);
  const random = mulberry32(seed);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (total - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((a, b) => a - b);
}

/** Applies rounding, partial sampling and the border rule. */
export function selectCells(
  centers: CellCenters,
  width: number,
  height: number,
  imageSize: number,
  partial?: { nCells: number; seed: number },
): CellSelection {
  const w = imageSize / 2;
  const order = partial
    ? sampleIndices(centers.ids.length, partial.nCells, partial.seed)
    : Array.from({ length: centers.ids.length }, (_, i) => i);
  const ids: bigint[] = [], xs: number[] = [], ys: number[] = [], removed: bigint[] = [];
  for (const i of order) {
    const x = roundHalfEven(centers.x[i]);
    const y = roundHalfEven(centers.y[i]);
    if (w < x && x < width - w && w < y && y < height - w) {
      ids.push(centers.ids[i]);
      xs.push(x);
      ys.push(y);
    } else {
      removed.push(centers.ids[i]);
    }
  }
  return {
    ids: BigUint64Array.from(ids),
    x: Int32Array.from(xs),
    y: Int32Array.from(ys),
    removed: BigUint64Array.from(removed),
  };
}
