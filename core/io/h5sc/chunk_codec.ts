/**
 * Compresses the (1, 1, S, S) chunks of single-cell stacks exactly as HDF5's filter pipeline would
 * store them (LZF filter 32000, deflate filter 1, or none), so workers can do the compression and
 * the writer only appends bytes. A chunk that LZF cannot shrink is kept raw and flagged in its
 * filter mask (HDF5 skips a masked filter when reading), so a chunk never takes more room than raw.
 * @module
 */
import { deflateSync, inflateSync } from "node:zlib";
import { ScportraitError } from "../../errors.ts";
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
  #out = new Uint8Array(0);
  #sizes = new Uint32Array(0);
  #masks = new Uint8Array(0);
  #o = 0;
  #n = 0;
  #expected = 0;

  /** `chunkBytes` = S·S·2 for float16. */
  constructor(chunkBytes: number, compression: H5scCompression) {
    this.#chunkBytes = chunkBytes;
    this.#compression = compression;
  }

  /**
   * Starts a batch of `nChunks` chunks. The compressed bytes go into `into` (a buffer handed back
   * by an earlier batch's consumer, so no fresh memory is touched) when given, else into a new
   * buffer; the buffer grows when the chunks do not fit.
   */
  begin(nChunks: number, into?: ArrayBuffer): void {
    const cb = this.#chunkBytes;
    this.#out = into && into.byteLength >= cb ? new Uint8Array(into) : new Uint8Array(
      Math.max(cb, Math.ceil((nChunks * cb) / 4)),
    );
    this.#sizes = new Uint32Array(nChunks);
    this.#masks = new Uint8Array(nChunks);
    this.#o = 0;
    this.#n = 0;
    this.#expected = nChunks;
  }

  /** Compresses the whole chunks of `bits` (float16 bit patterns) into the current batch. */
  add(bits: Uint16Array): void {
    const cb = this.#chunkBytes;
    const bytes = new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
    const n = bytes.length / cb;
    for (let i = 0; i < n; i++) {
      if (this.#out.length - this.#o < cb) {
        const grown = new Uint8Array(Math.max(this.#out.length * 2, this.#o + cb));
        grown.set(this.#out.subarray(0, this.#o));
        this.#out = grown;
      }
      const out = this.#out, o = this.#o;
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
        this.#masks[this.#n] = this.#compression === "none" ? 0 : 1;
      }
      this.#sizes[this.#n++] = size;
      this.#o += size;
    }
  }

  /**
   * Ends the batch: `data` is a view of the batch buffer (its `.buffer` can be transferred and
   * later passed back to {@link begin}).
   */
  end(): EncodedChunks {
    if (this.#n !== this.#expected) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `chunk encoder: ${this.#n} chunks added to a batch of ${this.#expected}`,
      );
    }
    return { data: this.#out.subarray(0, this.#o), sizes: this.#sizes, masks: this.#masks };
  }

  /** Encodes every chunk of `bits` (a whole number of chunks of float16 bit patterns). */
  encode(bits: Uint16Array): EncodedChunks {
    this.begin(bits.byteLength / this.#chunkBytes);
    this.add(bits);
    return this.end();
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
