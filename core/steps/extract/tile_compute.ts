/**
 * Computes every cell stack of one tile (runs in a worker or in-process). Input tiles are plain
 * typed arrays so they can be transferred to a Worker without copies.
 * @module
 */
import { CellStackKernel, type CellStackOptions } from "../../kernels/cell_stack.ts";

/** Message describing one tile's work. */
export interface TileTask {
  /** Window side S. */
  size: number;
  /** Normalisation settings. */
  options: CellStackOptions;
  /** Label tiles (nucleus first). */
  labels: BigUint64Array[];
  /** Image tiles per channel. */
  image: Uint16Array[];
  /** Width of the tiles. */
  tileWidth: number;
  /** Cell ids. */
  ids: BigUint64Array;
  /** Window origin rows inside the tile. */
  wy: Int32Array;
  /** Window origin columns inside the tile. */
  wx: Int32Array;
}

let kernel: CellStackKernel | undefined;
let kernelKey = "";

/** Returns (cells, masks + channels, S, S) float16 stacks (bit patterns) of the tile's cells. */
export function computeTile(task: TileTask): Uint16Array {
  const key = `${task.size}:${task.labels.length}:${JSON.stringify(task.options)}`;
  if (!kernel || key !== kernelKey) {
    kernel = new CellStackKernel(task.size, task.labels.length, task.options);
    kernelKey = key;
  }
  const per = (task.labels.length + task.image.length) * task.size * task.size;
  const out = new Uint16Array(task.ids.length * per);
  const tiles = { labels: task.labels, image: task.image, tileWidth: task.tileWidth };
  for (let i = 0; i < task.ids.length; i++) {
    kernel.compute(task.ids[i], tiles, task.wy[i], task.wx[i], out, i * per);
  }
  return out;
}
