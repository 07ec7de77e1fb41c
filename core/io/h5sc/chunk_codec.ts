/**
 * Compresses the (1, 1, S, S) chunks of single-cell stacks exactly as HDF5's filter pipeline would
 * store them (LZF filter 32000, deflate filter 1, or none), so workers can do the compression and
 * the writer only appends bytes. A chunk that LZF cannot shrink is kept raw and flagged in its
 * filter mask (HDF5 skips a masked filter when reading), so a chunk never takes more room than raw.
 * @module
 */
import { deflateSync, inflateSync } from "node:zlib";
import type { H5scCompression } from "./h5sc_types.ts";
import { lzfCompress, lzfDecompress, lzfTable } from "./lzf.ts";

/** Compressed chunks in row-major (cell, channel) order. */
export interface EncodedChunks {
  /** Concatenated chunk bytes. */
  data: Uint8Array;
  /** Stored size of each chunk. */
  sizes: Uint32Array;
  /** HDF5 filter mask of each chunk (1: the filter was skipped, bytes are raw). */
  masks: Uint8Array;
}

/** gzip level used for `compression: "gzip"` (as h5py's default 4). */
export const GZIP_LEVEL = 4;

/** Reusable per-thread chunk compressor. */
export class ChunkEncoder {
  readonly #chunkBytes: number;
  readonly #compression: H5scCompression;
  readonly #table = lzfTable();
  #scratch = new Uint8Array(0);

  /** `chunkBytes` = S·S·2 for float16. */
  constructor(chunkBytes: number, compression: H5scCompression) {
    this.#chunkBytes = chunkBytes;
    this.#compression = compression;
  }

  /** Encodes every chunk of `bits` (a whole number of chunks of float16 bit patterns). */
  encode(bits: Uint16Array): EncodedChunks {
    const cb = this.#chunkBytes;
    const bytes = new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
    const n = bytes.length / cb;
    const sizes = new Uint32Array(n);
    const masks = new Uint8Array(n);
    if (this.#scratch.length < bytes.length) this.#scratch = new Uint8Array(bytes.length);
    const out = this.#scratch;
    let o = 0;
    for (let i = 0; i < n; i++) {
      const chunk = bytes.subarray(i * cb, (i + 1) * cb);
      let size = 0;
      if (this.#compression === "lzf") {
        size = lzfCompress(chunk, out.subarray(o, o + cb - 1), this.#table);
      } else if (this.#compression === "gzip") {
        const z = deflateSync(chunk, { level: GZIP_LEVEL });
        if (z.length < cb) {
          out.set(z, o);
          size = z.length;
        }
      }
      if (size === 0) {
        out.set(chunk, o);
        size = cb;
        masks[i] = this.#compression === "none" ? 0 : 1;
      }
      sizes[i] = size;
      o += size;
    }
    return { data: out.slice(0, o), sizes, masks };
  }
}

/** Decodes one stored chunk into `out` (chunkBytes long). */
export function decodeChunk(
  stored: Uint8Array,
  mask: number,
  compression: H5scCompression,
  out: Uint8Array,
): void {
  if (mask & 1 || compression === "none") out.set(stored.subarray(0, out.length));
  else if (compression === "lzf") lzfDecompress(stored, out);
  else out.set(inflateSync(stored));
}
