/**
 * Reads cells of our own `.h5sc` files without HDF5: the chunk index is located once
 * ({@link locateImageChunks}), then a cell is one positioned read of its (adjacent) chunks, LZF or
 * deflate decoding in JavaScript and a float16 → float32 table lookup.
 * @module
 */
import { inflateSync } from "node:zlib";
import { ScportraitError } from "../../errors.ts";
import type { ChunkTable } from "./fixed_array.ts";
import { locateImageChunks } from "./chunk_locator.ts";
import { float16Table } from "./float16_decode.ts";
import { lzfDecompress } from "./lzf.ts";

const LZF = 32000, DEFLATE = 1;

/** Direct reader of the image chunks of one file. */
export class DirectChunkReader {
  readonly #path: string;
  readonly #file: Deno.FsFile;
  readonly #table: ChunkTable;
  readonly #filter: number;
  readonly #plane: number;
  readonly #nChannels: number;
  readonly #chunk: Uint8Array;
  readonly #bits: Uint16Array;
  readonly #pairs: Uint32Array;
  readonly #lut = float16Table();
  /** Scratch the stored bytes of a cell are read into (grown as needed, reused). */
  #span = new Uint8Array(0);

  private constructor(
    path: string,
    file: Deno.FsFile,
    table: ChunkTable,
    filter: number,
    imageSize: number,
    nChannels: number,
  ) {
    this.#path = path;
    this.#file = file;
    this.#table = table;
    this.#filter = filter;
    this.#plane = imageSize * imageSize;
    this.#nChannels = nChannels;
    this.#chunk = new Uint8Array(this.#plane * 2);
    this.#bits = new Uint16Array(this.#chunk.buffer);
    this.#pairs = new Uint32Array(this.#chunk.buffer, 0, this.#plane >> 1);
  }

  /** Opens `path` when its layout is ours, else returns undefined (use HDF5). */
  static open(path: string, imageSize: number, nChannels: number): DirectChunkReader | undefined {
    const file = Deno.openSync(path, { read: true });
    const read = (at: number, length: number) => readAt(file, at, length, path);
    const found = locateImageChunks(read, imageSize);
    if (!found || ![0, LZF, DEFLATE].includes(found.filter)) {
      file.close();
      return undefined;
    }
    return new DirectChunkReader(path, file, found.table, found.filter, imageSize, nChannels);
  }

  /**
   * Rows `start..start+count`, channels `channel..channel+run`: (count, run, S, S) float32, into
   * `into` (reused by callers that read many single cells) or a new array.
   */
  read(start: number, count: number, channel: number, run: number, into?: Float32Array) {
    const plane = this.#plane;
    const size = count * run * plane;
    const out = into ? into.subarray(0, size).fill(0) : new Float32Array(size);
    const t = this.#table;
    for (let r = 0; r < count; r++) {
      const first = (start + r) * this.#nChannels + channel;
      // one read covering the cell's chunks when they are adjacent (as our writer stores them)
      let lo = Infinity, hi = 0, total = 0;
      for (let c = 0; c < run; c++) {
        const i = first + c;
        lo = Math.min(lo, t.addr[i]);
        hi = Math.max(hi, t.addr[i] + t.size[i]);
        total += t.size[i];
      }
      const span = hi - lo <= 2 * total ? this.#readSpan(lo, hi - lo) : undefined;
      for (let c = 0; c < run; c++) {
        const i = first + c;
        const stored = span
          ? span.subarray(t.addr[i] - lo, t.addr[i] - lo + t.size[i])
          : this.#readSpan(t.addr[i], t.size[i]);
        this.#decode(stored, t.mask[i]);
        const o = (r * run + c) * plane;
        this.#expand(out, o);
      }
    }
    return out;
  }

  /** float16 → float32 of the decoded chunk into `out` at `o` (fresh, zero-filled). */
  #expand(out: Float32Array, o: number): void {
    const pairs = this.#pairs, lut = this.#lut, bits = this.#bits;
    const n = pairs.length;
    for (let k = 0; k < n; k++) {
      if (pairs[k] === 0) continue; // most of a cell's window is background: already zero
      out[o + 2 * k] = lut[bits[2 * k]];
      out[o + 2 * k + 1] = lut[bits[2 * k + 1]];
    }
    if (this.#plane & 1) out[o + this.#plane - 1] = lut[bits[this.#plane - 1]];
  }

  /** `length` bytes at `at`, in the reused scratch (valid until the next call). */
  #readSpan(at: number, length: number): Uint8Array {
    if (this.#span.length < length) {
      this.#span = new Uint8Array(Math.max(length, 2 * this.#span.length));
    }
    return readAt(this.#file, at, length, this.#path, this.#span.subarray(0, length));
  }

  #decode(stored: Uint8Array, mask: number): void {
    const chunk = this.#chunk;
    if (this.#filter === 0 || mask & 1) chunk.set(stored.subarray(0, chunk.length));
    else if (this.#filter === LZF) {
      if (lzfDecompress(stored, chunk) !== chunk.length) throw corrupt(this.#path);
    } else {
      const raw = inflateSync(stored);
      if (raw.length !== chunk.length) throw corrupt(this.#path);
      chunk.set(raw);
    }
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }
}

function corrupt(path: string): ScportraitError {
  return new ScportraitError("H5SC_INVALID", `${path}: a chunk does not decode to its full size`);
}

function readAt(
  file: Deno.FsFile,
  at: number,
  length: number,
  path: string,
  out = new Uint8Array(length),
): Uint8Array {
  file.seekSync(at, Deno.SeekMode.Start);
  let done = 0;
  while (done < length) {
    const n = file.readSync(out.subarray(done));
    if (n === null || n <= 0) {
      throw new ScportraitError("H5SC_INVALID", `${path}: file ends inside a chunk (byte ${at})`);
    }
    done += n;
  }
  return out;
}
