/**
 * Computes every cell stack of one tile (runs in a worker or in-process). Input tiles are plain
 * typed arrays so they can be transferred to a Worker without copies.
 * @module
 */
import { CellStackKernel, type CellStackOptions } from "../../kernels/cell_stack.ts";
import { labelBoxes } from "../../kernels/label_boxes.ts";
import { ChunkEncoder, type EncodedChunks } from "../../io/h5sc/chunk_codec.ts";
import type { H5scCompression } from "../../io/h5sc/h5sc_types.ts";

/** Message describing one tile's work. */
export interface TileTask {
  /** Window side S. */
  size: number;
  /** Normalisation settings. */
  options: CellStackOptions;
  /** Chunk compression of the output file. */
  compression: H5scCompression;
  /** Label tiles (nucleus first), uint64 ids or uint32 when they fit. */
  labels: (BigUint64Array | Uint32Array)[];
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
  /** A spent output buffer to compress into (handed back after its chunks were written). */
  outBuffer?: ArrayBuffer;
}

let kernel: CellStackKernel | undefined;
let kernelKey = "";
let encoder: ChunkEncoder | undefined;
let encoderKey = "";
let stack = new Uint16Array(0);

/**
 * Computes the (cells, masks + channels, S, S) float16 stacks of the tile's cells and compresses
 * them into HDF5 chunks (one per cell and channel), cell by cell through one reused stack (it stays
 * in cache). The chunks go into `task.outBuffer` when given, so only its bytes are touched.
 */
export function computeTile(task: TileTask): EncodedChunks {
  const key = `${task.size}:${task.labels.length}:${JSON.stringify(task.options)}`;
  if (!kernel || key !== kernelKey) {
    kernel = new CellStackKernel(task.size, task.labels.length, task.options);
    kernelKey = key;
  }
  const eKey = `${task.size}:${task.compression}`;
  if (!encoder || eKey !== encoderKey) {
    encoder = new ChunkEncoder(task.size * task.size * 2, task.compression);
    encoderKey = eKey;
  }
  const planes = task.labels.length + task.image.length;
  const per = planes * task.size * task.size;
  if (stack.length !== per) stack = new Uint16Array(per);
  const w = task.tileWidth;
  const boxes = task.labels.map((l) => labelBoxes(l, w, l.length / w));
  const tiles = { labels: task.labels, image: task.image, tileWidth: w, boxes };
  encoder.begin(task.ids.length * planes, task.outBuffer);
  for (let i = 0; i < task.ids.length; i++) {
    kernel.compute(task.ids[i], tiles, task.wy[i], task.wx[i], stack, 0);
    encoder.add(stack);
  }
  return encoder.end();
}
