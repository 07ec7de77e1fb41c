/**
 * Writes scPortrait's single-cell dataset (`.h5sc`, an AnnData HDF5 file, spec §4.2) with h5wasm:
 * `obs` (ids), `var` (channel names and mapping), `uns/single_cell_images/*`, and
 * `obsm/single_cell_images` (N, masks + channels, S, S) float16, one (1, 1, S, S) chunk per channel
 * image, LZF (or gzip) compressed. Rows may be written in any order, in bounded batches; each batch
 * is read back and compared. The file is built under a temporary name and renamed only when every
 * row was written, so a killed run never leaves a file that reads as complete.
 * @module
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { ScportraitError } from "../../errors.ts";
import { createSkeleton, finishImageDataset, validateLayout } from "./h5sc_skeleton.ts";
export { truncateU15 } from "./h5sc_skeleton.ts";
import { patchFloat32DatasetToFloat16 } from "./float16_patch.ts";
import { h5, type H5Module, loadH5wasm } from "./h5wasm_module.ts";
import type { H5scCompression, H5scLayout } from "./h5sc_types.ts";
import { ChunkEncoder, decodeChunk, type EncodedChunks } from "./chunk_codec.ts";
import { type ChunkBlock, DirectChunkFile } from "./direct_chunk_file.ts";

/** Path of the image container inside the file. */
export const IMAGES_PATH = "obsm/single_cell_images";
/** Path of the cell id column inside the file. */
export const CELL_ID_PATH = "obs/scportrait_cell_id";

/** Options of {@link H5scWriter.create}. */
export interface H5scWriterOptions {
  /** Replace an existing file at the destination (default false → error). */
  overwrite?: boolean;
  /** Largest block handed to HDF5 in one call, bytes (default 64 MiB; capped at 256 MiB). */
  maxBatchBytes?: number;
  /** Read back every written block and compare (default true). */
  verify?: boolean;
}

/** Incremental `.h5sc` writer. Create with {@link H5scWriter.create}; end with `finish()`. */
export class H5scWriter {
  /** Destination path (exists only after `finish()`). */
  readonly path: string;
  /** Temporary path written until `finish()`. */
  readonly tempPath: string;
  /** Number of rows (cells). */
  readonly nCells: number;
  /** Number of channels per cell, masks included. */
  readonly nChannels: number;
  /** Side of the square images. */
  readonly imageSize: number;
  /** float16 values per cell. */
  readonly cellValues: number;
  readonly #module: H5Module;
  #file?: InstanceType<typeof h5.File>;
  #direct?: DirectChunkFile;
  #encoder?: ChunkEncoder;
  readonly #compression: H5scCompression;
  readonly #written: Uint8Array;
  readonly #verify: boolean;
  readonly #maxCells: number;
  #buffer = 0;
  #check = 0;
  #rowsWritten = 0;
  #closed = false;

  private constructor(
    module: H5Module,
    path: string,
    tempPath: string,
    layout: H5scLayout,
    options: H5scWriterOptions,
    openHdf5 = true,
  ) {
    this.#module = module;
    this.path = path;
    this.tempPath = tempPath;
    this.nCells = layout.cellIds.length;
    this.nChannels = layout.maskNames.length + layout.channelNames.length;
    this.imageSize = layout.imageSize;
    this.cellValues = this.nChannels * this.imageSize * this.imageSize;
    this.#written = new Uint8Array(this.nCells);
    this.#verify = options.verify ?? true;
    const maxBytes = Math.min(options.maxBatchBytes ?? 64 << 20, 256 << 20);
    this.#maxCells = Math.max(1, Math.floor(maxBytes / (this.cellValues * 2)));
    this.#compression = layout.compression;
    if (openHdf5) this.#file = new h5.File(tempPath, "a");
  }

  /** Creates the file structure under a temporary name next to `path`. */
  static async create(
    path: string,
    layout: H5scLayout,
    options: H5scWriterOptions = {},
  ): Promise<H5scWriter> {
    validateLayout(path, layout);
    if (existsSync(path) && !options.overwrite) {
      throw new ScportraitError(
        "ELEMENT_EXISTS",
        `${path} already exists; remove it or pass overwrite to replace it`,
      );
    }
    const module = await loadH5wasm();
    const tempPath = `${path}.partial`;
    rmSync(tempPath, { force: true });
    createSkeleton(tempPath, layout);
    const bytes = Deno.readFileSync(tempPath);
    patchFloat32DatasetToFloat16(bytes, tempPath);
    Deno.writeFileSync(tempPath, bytes);
    const writer = new H5scWriter(module, path, tempPath, layout, options);
    const sized = finishImageDataset(module, writer.#file!, layout);
    if (!sized) writer.#fail(`could not size ${IMAGES_PATH} to ${writer.nCells} cells`);
    writer.#file!.close();
    writer.#file = undefined;
    const chunkBytes = layout.imageSize * layout.imageSize * 2;
    writer.#direct = DirectChunkFile.open(
      tempPath,
      writer.nCells * writer.nChannels,
      chunkBytes,
      layout.compression !== "none",
      writer.#verify,
    );
    // a dataset of one chunk gets HDF5's single-chunk index: write it through h5wasm instead
    if (!writer.#direct) writer.#file = new h5.File(tempPath, "a");
    return writer;
  }

  /**
   * Reopens the `.partial` file of an interrupted run for `path` without touching its HDF5
   * structure (HDF5 would cut the file at its own end-of-file on close): the first `headerBytes`
   * are the skeleton `create` wrote, `blocks` the row blocks its journal recorded. Bytes after the
   * last block are cut off. Returns undefined when there is no usable partial file (start anew).
   */
  static async resume(
    path: string,
    layout: H5scLayout,
    headerBytes: number,
    blocks: readonly ChunkBlock[],
    options: H5scWriterOptions = {},
  ): Promise<H5scWriter | undefined> {
    validateLayout(path, layout);
    const tempPath = `${path}.partial`;
    const size = existsSync(tempPath) ? Deno.statSync(tempPath).size : -1;
    if (size < Math.max(headerBytes, ...blocks.map((b) => b.end))) return undefined;
    const module = await loadH5wasm();
    const writer = new H5scWriter(module, path, tempPath, layout, options, false);
    const S = layout.imageSize;
    const direct = DirectChunkFile.open(
      tempPath,
      writer.nCells * writer.nChannels,
      S * S * 2,
      layout.compression !== "none",
      writer.#verify,
      headerBytes,
    );
    if (!direct) return undefined;
    try {
      direct.restore(blocks, writer.nChannels);
    } catch (error) {
      direct.close();
      throw error;
    }
    writer.#direct = direct;
    for (const b of blocks) for (const row of b.rows) writer.#markWritten(row);
    return writer;
  }

  /** End of the data written so far: after `create`, the size of the HDF5 skeleton. */
  get appendOffset(): number {
    return this.#direct?.end ?? 0;
  }

  /** Flushes appended chunks to the disk; call before journalling the blocks as done. */
  sync(): void {
    this.#direct?.sync();
  }

  /**
   * True when compressed chunks are appended directly with our own chunk index (every dataset of
   * more than one chunk); false when they go through HDF5's filter pipeline in wasm.
   */
  get directChunks(): boolean {
    return this.#direct !== undefined;
  }

  /** Number of distinct rows written so far. */
  get rowsWritten(): number {
    return this.#rowsWritten;
  }

  /**
   * Writes `count` consecutive rows starting at `row`. `bits` holds float16 bit patterns (or a
   * Float16Array) laid out (count, nChannels, S, S). Each HDF5 call stays under the batch byte limit
   * and is read back and compared when `verify` is on.
   */
  writeCells(row: number, bits: Uint16Array | Float16Array): void {
    const u16 = bits instanceof Uint16Array
      ? bits
      : new Uint16Array(bits.buffer, bits.byteOffset, bits.length);
    const count = u16.length / this.cellValues;
    if (!Number.isInteger(count) || row < 0 || row + count > this.nCells) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `${this.tempPath}: cannot write ${u16.length} values at row ${row}: need a multiple of ` +
          `${this.cellValues} values per cell and rows within 0..${this.nCells}`,
      );
    }
    for (let done = 0; done < count; done += this.#maxCells) {
      const n = Math.min(this.#maxCells, count - done);
      const part = u16.subarray(done * this.cellValues, (done + n) * this.cellValues);
      if (this.#direct) {
        const S = this.imageSize;
        this.#encoder ??= new ChunkEncoder(S * S * 2, this.#compression);
        const rows = Array.from({ length: n }, (_, i) => row + done + i);
        this.writeEncoded(rows, this.#encoder.encode(part));
      } else this.#writeBlock(row + done, n, part);
    }
  }

  /**
   * Writes cells whose chunks were already compressed (by {@link ChunkEncoder}, e.g. in a worker):
   * `enc` holds `nChannels` chunks per row, rows in the order of `rows` (any order, no repeats
   * needed). Chunks are appended to the file as they are; the index is written by `finish()`.
   * Returns the appended block (for a resume journal), or undefined on the HDF5 fallback path.
   */
  writeEncoded(rows: ArrayLike<number>, enc: EncodedChunks): ChunkBlock | undefined {
    const bad = Array.prototype.find.call(rows, (r) => !(r >= 0 && r < this.nCells && r % 1 === 0));
    if (bad !== undefined) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `${this.tempPath}: row ${bad} outside 0..${this.nCells - 1}`,
      );
    }
    if (enc.sizes.length !== rows.length * this.nChannels) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `${this.tempPath}: ${enc.sizes.length} chunks for ${rows.length} rows of ` +
          `${this.nChannels} channels`,
      );
    }
    if (this.#direct) {
      const block = this.#direct.append(rows, this.nChannels, enc);
      for (let i = 0; i < rows.length; i++) this.#markWritten(rows[i]);
      return block;
    }
    // fallback (single-chunk dataset): decode and write through HDF5
    const S = this.imageSize;
    const chunk = new Uint8Array(S * S * 2);
    let o = 0;
    for (let r = 0; r < rows.length; r++) {
      const cell = new Uint16Array(this.cellValues);
      const bytes = new Uint8Array(cell.buffer);
      for (let c = 0; c < this.nChannels; c++) {
        const k = r * this.nChannels + c;
        decodeChunk(enc.data.subarray(o, o + enc.sizes[k]), enc.masks[k], this.#compression, chunk);
        bytes.set(chunk, c * chunk.length);
        o += enc.sizes[k];
      }
      this.#writeBlock(rows[r], 1, cell);
    }
  }

  #markWritten(row: number): void {
    if (!this.#written[row]) this.#written[row] = 1, this.#rowsWritten++;
  }

  #writeBlock(row: number, n: number, part: Uint16Array): void {
    const module = this.#module;
    const bytes = part.length * 2;
    if (this.#buffer === 0) {
      const cap = this.#maxCells * this.cellValues * 2;
      this.#buffer = module._malloc(cap);
      this.#check = this.#verify ? module._malloc(cap) : 0;
      if (!this.#buffer || (this.#verify && !this.#check)) this.#fail("wasm heap exhausted");
    }
    module.HEAPU8.set(new Uint8Array(part.buffer, part.byteOffset, bytes), this.#buffer);
    const S = BigInt(this.imageSize);
    const count = [BigInt(n), BigInt(this.nChannels), S, S];
    const offset = [BigInt(row), 0n, 0n, 0n];
    const stride = [1n, 1n, 1n, 1n];
    const id = this.#file!.file_id;
    const status = module.set_dataset_data(
      id,
      IMAGES_PATH,
      count,
      offset,
      stride,
      BigInt(this.#buffer),
    );
    if (status < 0) this.#fail(`HDF5 write of rows ${row}..${row + n} failed`);
    if (this.#verify) {
      const rc = module.get_dataset_data(
        id,
        IMAGES_PATH,
        count,
        offset,
        stride,
        BigInt(this.#check),
      );
      const heap = module.HEAPU8;
      const a = new Int32Array(heap.buffer, this.#buffer, bytes >> 2);
      const b = new Int32Array(heap.buffer, this.#check, bytes >> 2);
      let same = rc >= 0;
      for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
      if (same && bytes & 2) {
        same = heap[this.#buffer + bytes - 2] === heap[this.#check + bytes - 2];
      }
      if (!same) this.#fail(`read-back of rows ${row}..${row + n} differs from what was written`);
    }
    for (let r = row; r < row + n; r++) this.#markWritten(r);
  }

  #fail(what: string): never {
    throw new ScportraitError(
      "H5SC_INVALID",
      `${this.tempPath}: ${what}; the partial file is left unfinished (not renamed). ` +
        "Lower maxBatchBytes or free memory and re-run.",
    );
  }

  #release(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#buffer) this.#module._free(this.#buffer);
    if (this.#check) this.#module._free(this.#check);
    this.#buffer = this.#check = 0;
    this.#file?.close();
    this.#direct?.close();
  }

  /** Checks every row was written, closes the file and renames it to its final path. */
  finish(): void {
    if (this.#rowsWritten !== this.nCells) {
      this.abort();
      throw new ScportraitError(
        "H5SC_INVALID",
        `${this.path}: only ${this.#rowsWritten} of ${this.nCells} cells were written; ` +
          "the file was discarded. Re-run the extraction.",
      );
    }
    if (this.#direct) {
      const expected = this.#sampleRows().map((row) => [row, this.#storedCell(row)] as const);
      this.#direct.finish();
      this.#direct = undefined;
      this.#checkThroughHdf5(expected);
    } else this.#file!.flush();
    this.#release();
    rmSync(this.path, { force: true });
    renameSync(this.tempPath, this.path);
  }

  #sampleRows(): number[] {
    const n = this.nCells;
    return [...new Set([0, n - 1, ...[1, 2, 3, 4, 5, 6, 7].map((i) => Math.floor((n * i) / 8))])];
  }

  #storedCell(row: number): Uint8Array {
    const S = this.imageSize;
    const out = new Uint8Array(this.cellValues * 2);
    for (let c = 0; c < this.nChannels; c++) {
      const i = row * this.nChannels + c;
      const chunk = out.subarray(c * S * S * 2, (c + 1) * S * S * 2);
      decodeChunk(this.#direct!.readChunk(i)!, this.#direct!.maskOf(i), this.#compression, chunk);
    }
    return out;
  }

  /** End-to-end check: HDF5 itself must read back what we stored, through our index. */
  #checkThroughHdf5(expected: (readonly [number, Uint8Array])[]): void {
    const m = this.#module;
    const f = new h5.File(this.tempPath, "r");
    const ptr = m._malloc(this.cellValues * 2);
    try {
      const S = BigInt(this.imageSize);
      for (const [row, want] of expected) {
        const rc = m.get_dataset_data(
          f.file_id,
          IMAGES_PATH,
          [1n, BigInt(this.nChannels), S, S],
          [BigInt(row), 0n, 0n, 0n],
          [1n, 1n, 1n, 1n],
          BigInt(ptr),
        );
        const got = m.HEAPU8.subarray(ptr, ptr + want.length);
        if (rc < 0 || got.some((v, i) => v !== want[i])) {
          this.#fail(`HDF5 reads row ${row} differently from what was stored`);
        }
      }
    } finally {
      m._free(ptr);
      f.close();
    }
  }

  /** Closes without finishing; the `.partial` file stays for {@link H5scWriter.resume}. */
  close(): void {
    this.#release();
  }

  /** Closes and deletes the temporary file. */
  abort(): void {
    this.#release();
    rmSync(this.tempPath, { force: true });
  }
}
