/**
 * The CPU work of writing raster chunks, as a pure function that runs on the calling thread or in
 * a Worker: cut chunks out of a band of rows, pad edge chunks to full size, widen samples to the
 * on-disk type, compress, optionally store the bytes (atomic file write), and optionally reduce
 * each chunk through the pyramid factors so the writer can fill the lower levels while level 0
 * streams in.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { writeFileAtomicSync } from "../zarr/atomic_fs_store.ts";
import { type ChunkCompressor, encodeChunk } from "../zarr/chunk_compressor.ts";
import { padToChunk } from "../zarr/v2_array.ts";
import { type Block, reduceChain } from "./block_reduce.ts";
import type { Downsampling, RasterArray } from "./pyramid.ts";

/** One chunk inside a job's band. */
export interface ChunkPart {
  /** First column of the chunk inside the band. */
  x: number;
  /** Valid columns (less than the chunk width only at the right edge). */
  w: number;
  /** File the encoded chunk is written to; without it the bytes are returned. */
  path?: string;
}

/** Chunks of one chunk row cut from a band of `h` rows × `width` columns. */
export interface ChunkJob {
  /** `h × width` samples, row-major. */
  data: RasterArray;
  /** Columns of `data`. */
  width: number;
  /** Valid rows (less than the chunk height only at the bottom edge). */
  h: number;
  /** The chunks to cut. */
  parts: ChunkPart[];
  /** Full chunk (height, width) stored chunks are padded to. */
  chunk: readonly [number, number];
  /** Bytes per sample on disk (uint32 ids are widened for uint64 arrays). */
  diskBytes: number;
  /** Compressor of the array. */
  compressor: ChunkCompressor;
  /** Also reduce each (unpadded) chunk through these factors, each relative to the previous. */
  reduce?: { factors: readonly number[]; mode: Downsampling };
}

/** What a chunk job returns, per part. */
export interface ChunkJobResult {
  /** Encoded bytes of parts without a `path` (empty for written parts). */
  bytes: Uint8Array[];
  /** Per part, the reduced blocks, one per factor (empty without `reduce`). */
  reduced: Block[][];
  /**
   * The job's `data` handed back by a Worker (buffer transferred) so the caller can reuse it for
   * its next band instead of paying for fresh memory; set by {@link ChunkJobPool} runs only.
   */
  band?: RasterArray;
}

/** Runs one chunk job. */
export async function runChunkJob(job: ChunkJob): Promise<ChunkJobResult> {
  const result: ChunkJobResult = { bytes: [], reduced: [] };
  // one scratch chunk per job, reused by its parts (fresh memory costs page faults)
  let scratch: RasterArray | undefined;
  for (const part of job.parts) {
    const whole = part.x === 0 && part.w === job.width;
    if (!whole && part.w === job.chunk[1] && scratch === undefined) {
      scratch = new (job.data.constructor as new (n: number) => RasterArray)(job.h * part.w);
    }
    const target = whole || part.w !== job.chunk[1] ? undefined : scratch;
    const data = cut(job.data, job.width, part.x, job.h, part.w, target);
    result.reduced.push(
      job.reduce
        ? reduceChain({ data, h: job.h, w: part.w }, job.reduce.factors, job.reduce.mode)
        : [],
    );
    // zstd encodes synchronously into new bytes, so padded/widened samples may live in memory
    // reused from chunk to chunk (fresh pages cost a fault per 4 KiB)
    const reuse = job.compressor?.id === "zstd";
    const [ch, cw] = job.chunk;
    const partial = job.h !== ch || part.w !== cw;
    const Samples = data.constructor as new (n: number) => RasterArray;
    const padded = padToChunk(
      data,
      job.h,
      part.w,
      ch,
      cw,
      reuse && partial ? reusable(Samples, ch * cw, "padded") : undefined,
    );
    const widened = reuse && job.diskBytes === 8 && !(padded instanceof BigUint64Array);
    const wide = widen(
      padded,
      job.diskBytes,
      widened ? reusable(BigUint64Array, padded.length, "widened") : undefined,
    );
    const raw = new Uint8Array(wide.buffer, wide.byteOffset, wide.byteLength);
    let bytes = await encodeChunk(job.compressor, raw);
    if (bytes.buffer === scratch?.buffer) bytes = bytes.slice(); // uncompressed: do not alias
    if (part.path !== undefined) {
      writeFileAtomicSync(part.path, bytes, knownDirs);
      result.bytes.push(new Uint8Array(0));
    } else result.bytes.push(bytes);
  }
  return result;
}

const knownDirs = new Set<string>();

/** Reused sample buffers by (use, sample type); see {@link runChunkJob}. */
const reusedBuffers = new Map<string, RasterArray>();

/** A reused buffer of `n` samples of type `Samples` for `use` (contents undefined). */
function reusable<T extends RasterArray>(
  Samples: new (n: number) => T,
  n: number,
  use: "padded" | "widened",
): T {
  const key = `${use}/${Samples.name}`;
  let buffer = reusedBuffers.get(key) as T | undefined;
  if (buffer === undefined || buffer.length < n) {
    buffer = new Samples(n);
    reusedBuffers.set(key, buffer);
  }
  return buffer.subarray(0, n) as T;
}

/**
 * The `h × w` block at column `x` of a band `width` wide (the band itself when it is one), copied
 * into `into` when given.
 */
function cut(
  band: RasterArray,
  width: number,
  x: number,
  h: number,
  w: number,
  into?: RasterArray,
): RasterArray {
  if (x === 0 && w === width) return band.subarray(0, h * w);
  const out = into ?? new (band.constructor as new (n: number) => RasterArray)(h * w);
  for (let row = 0; row < h; row++) {
    const from = row * width + x;
    // deno-lint-ignore no-explicit-any
    (out as any).set(band.subarray(from, from + w), row * w);
  }
  return out;
}

/**
 * Converts samples to the on-disk width (e.g. Uint32Array ids into a uint64 array), into `into`
 * (as many samples) when given.
 */
export function widen(data: RasterArray, bytes: number, into?: BigUint64Array): RasterArray {
  if (data.BYTES_PER_ELEMENT === bytes) return data;
  if (bytes === 8 && !(data instanceof BigUint64Array)) {
    const out = into ?? new BigUint64Array(data.length);
    const words = new Uint32Array(out.buffer, out.byteOffset, 2 * data.length); // low word first
    for (let i = 0; i < data.length; i++) {
      words[2 * i] = data[i];
      words[2 * i + 1] = 0;
    }
    return out;
  }
  throw new ScportraitError(
    "STORE_INVALID",
    `Chunk data has ${data.BYTES_PER_ELEMENT}-byte samples but the array stores ${bytes}-byte ` +
      "samples: pass the typed array matching the element's dtype.",
  );
}
