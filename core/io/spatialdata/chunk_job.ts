/**
 * The CPU work of writing one raster chunk, as a pure function that runs on the calling thread or
 * in a Worker: pad an edge chunk to full size, widen samples to the on-disk type, compress, and
 * (optionally) reduce the chunk through the pyramid factors so the writer can fill the lower
 * levels while level 0 streams in.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { type ChunkCompressor, encodeChunk } from "../zarr/chunk_compressor.ts";
import { padToChunk } from "../zarr/v2_array.ts";
import { type Block, reduceChain } from "./block_reduce.ts";
import type { Downsampling, RasterArray } from "./pyramid.ts";

/** One chunk to encode. */
export interface ChunkJob {
  /** `h × w` samples, row-major. */
  data: RasterArray;
  /** Valid rows (less than the chunk height only at the bottom edge). */
  h: number;
  /** Valid columns. */
  w: number;
  /** Full chunk (height, width) the stored chunk is padded to. */
  chunk: readonly [number, number];
  /** Bytes per sample on disk (uint32 ids are widened for uint64 arrays). */
  diskBytes: number;
  /** Compressor of the array. */
  compressor: ChunkCompressor;
  /** Also reduce the (unpadded) chunk through these factors, each relative to the previous. */
  reduce?: { factors: readonly number[]; mode: Downsampling };
}

/** What a chunk job returns. */
export interface ChunkJobResult {
  /** The bytes to store under the chunk's key. */
  bytes: Uint8Array;
  /** The reduced blocks, one per factor (empty without `reduce`). */
  reduced: Block[];
}

/** Runs one chunk job. */
export async function runChunkJob(job: ChunkJob): Promise<ChunkJobResult> {
  const reduced = job.reduce
    ? reduceChain({ data: job.data, h: job.h, w: job.w }, job.reduce.factors, job.reduce.mode)
    : [];
  const padded = padToChunk(job.data, job.h, job.w, job.chunk[0], job.chunk[1]);
  const wide = widen(padded, job.diskBytes);
  const bytes = await encodeChunk(
    job.compressor,
    new Uint8Array(wide.buffer, wide.byteOffset, wide.byteLength),
  );
  return { bytes, reduced };
}

/** Converts samples to the on-disk width (e.g. Uint32Array ids into a uint64 array). */
export function widen(data: RasterArray, bytes: number): RasterArray {
  if (data.BYTES_PER_ELEMENT === bytes) return data;
  if (bytes === 8 && !(data instanceof BigUint64Array)) {
    const out = new BigUint64Array(data.length);
    const words = new Uint32Array(out.buffer); // little-endian: low word first
    for (let i = 0; i < data.length; i++) words[2 * i] = data[i];
    return out;
  }
  throw new ScportraitError(
    "STORE_INVALID",
    `Chunk data has ${data.BYTES_PER_ELEMENT}-byte samples but the array stores ${bytes}-byte ` +
      "samples: pass the typed array matching the element's dtype.",
  );
}
