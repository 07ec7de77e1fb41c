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
import {
  setEncoding,
  writeDataframe,
  writeDict,
  writeNumericScalar,
  writeString,
  writeStringArray,
} from "./anndata_writer.ts";
import { patchFloat32DatasetToFloat16 } from "./float16_patch.ts";
import { h5, type H5Module, loadH5wasm } from "./h5wasm_module.ts";
import type { H5scLayout } from "./h5sc_types.ts";

/** Path of the image container inside the file. */
export const IMAGES_PATH = "obsm/single_cell_images";
/** Path of the cell id column inside the file. */
export const CELL_ID_PATH = "obs/scportrait_cell_id";
const UNS = "single_cell_images";
const LZF_FILTER_ID = 32000;

/** Options of {@link H5scWriter.create}. */
export interface H5scWriterOptions {
  /** Replace an existing file at the destination (default false → error). */
  overwrite?: boolean;
  /** Largest block handed to HDF5 in one call, bytes (default 64 MiB; capped at 256 MiB). */
  maxBatchBytes?: number;
  /** Read back every written block and compare (default true). */
  verify?: boolean;
}

/** Truncates like numpy's `<U15` cast that scPortrait applies to `var`/`uns` channel names. */
export function truncateU15(name: string): string {
  return [...name].slice(0, 15).join("");
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
  readonly #file: InstanceType<typeof h5.File>;
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
    this.#file = new h5.File(tempPath, "a");
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
    writer.#finishSkeleton(layout);
    return writer;
  }

  /** Number of distinct rows written so far. */
  get rowsWritten(): number {
    return this.#rowsWritten;
  }

  #finishSkeleton(layout: H5scLayout): void {
    const { nCells, nChannels, imageSize } = this;
    const status = this.#module.resize_dataset(this.#file.file_id, IMAGES_PATH, [
      BigInt(nCells),
      BigInt(nChannels),
      BigInt(imageSize),
      BigInt(imageSize),
    ]);
    if (status < 0) this.#fail(`could not size ${IMAGES_PATH} to ${nCells} cells`);
    const ds = this.#file.get(IMAGES_PATH) as InstanceType<typeof h5.Dataset>;
    setEncoding(ds, "array", "0.2.0");
    const int = (name: string, v: number) =>
      ds.create_attribute(name, new BigInt64Array([BigInt(v)]), [], "<q");
    int("n_cells", nCells);
    int("n_channels", nChannels);
    int("n_masks", layout.maskNames.length);
    int("n_image_channels", layout.channelNames.length);
    int("image_size", imageSize);
    ds.create_attribute("normalization", new Int8Array([layout.normalization ? 1 : 0]), [], "|b");
    if (layout.normalization) {
      ds.create_attribute("normalization_range", new Float64Array(layout.normalizationRange));
    } else {
      ds.create_attribute("normalization_range", ["None", "None"], [2], "S");
    }
    const names = [...layout.maskNames, ...layout.channelNames];
    const mapping = names.map((_, i) => i < layout.maskNames.length ? "mask" : "image_channel");
    const bytesArray = (values: string[]) => {
      const width = Math.max(1, ...values.map((v) => new TextEncoder().encode(v).length));
      return { values, dtype: `A${width}` };
    };
    const n = bytesArray(names);
    ds.create_attribute("channel_names", n.values, [names.length], n.dtype);
    const m = bytesArray(mapping);
    ds.create_attribute("channel_mapping", m.values, [mapping.length], m.dtype);
    ds.create_attribute("compression", layout.compression);
    this.#file.flush();
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
      this.#writeBlock(row + done, n, part);
    }
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
    const id = this.#file.file_id;
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
    for (let r = row; r < row + n; r++) {
      if (!this.#written[r]) this.#written[r] = 1, this.#rowsWritten++;
    }
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
    this.#file.close();
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
    this.#file.flush();
    this.#release();
    rmSync(this.path, { force: true });
    renameSync(this.tempPath, this.path);
  }

  /** Closes and deletes the temporary file. */
  abort(): void {
    this.#release();
    rmSync(this.tempPath, { force: true });
  }
}

function validateLayout(path: string, layout: H5scLayout): void {
  const bad = (msg: string) => new ScportraitError("H5SC_INVALID", `${path}: ${msg}`);
  if (!Number.isInteger(layout.imageSize) || layout.imageSize <= 0) {
    throw bad(`image_size must be a positive integer, got ${layout.imageSize}`);
  }
  if (layout.maskNames.length + layout.channelNames.length === 0) {
    throw bad("no mask or image channels to store");
  }
}

function createSkeleton(tempPath: string, layout: H5scLayout): void {
  const f = new h5.File(tempPath, "w");
  try {
    setEncoding(f, "anndata", "0.1.0");
    const n = layout.cellIds.length;
    const index = Array.from({ length: n }, (_, i) => String(i));
    const obs = writeDataframe(f, "obs", index, ["scportrait_cell_id"]);
    const ids = obs.create_dataset({
      name: "scportrait_cell_id",
      data: new BigUint64Array(layout.cellIds),
      dtype: "<Q",
    });
    setEncoding(ids, "array", "0.2.0");
    const names = [...layout.maskNames, ...layout.channelNames].map(truncateU15);
    const mapping = names.map((_, i) => i < layout.maskNames.length ? "mask" : "image_channel");
    const varIndex = names.map((_, i) => String(i));
    const v = writeDataframe(f, "var", varIndex, ["channels", "channel_mapping"]);
    writeStringArray(v, "channels", names);
    writeStringArray(v, "channel_mapping", mapping);
    for (const g of ["layers", "obsp", "varm", "varp"]) writeDict(f, g);
    const uns = writeDict(f, "uns").create_group(UNS);
    writeNumericScalar(uns, "n_cells", n, "int");
    writeNumericScalar(uns, "n_channels", names.length, "int");
    writeNumericScalar(uns, "n_masks", layout.maskNames.length, "int");
    writeNumericScalar(uns, "n_image_channels", layout.channelNames.length, "int");
    writeNumericScalar(uns, "image_size", layout.imageSize, "int");
    writeNumericScalar(uns, "normalization", layout.normalization, "bool");
    if (layout.normalization) {
      writeNumericScalar(uns, "normalization_range_lower", layout.normalizationRange[0], "float");
      writeNumericScalar(uns, "normalization_range_upper", layout.normalizationRange[1], "float");
    } else {
      writeString(uns, "normalization_range_lower", "None");
      writeString(uns, "normalization_range_upper", "None");
    }
    writeStringArray(uns, "channel_names", names);
    writeStringArray(uns, "channel_mapping", mapping);
    writeString(uns, "compression", layout.compression);
    const obsm = writeDict(f, "obsm");
    const S = layout.imageSize;
    const compression = layout.compression === "lzf"
      ? { compression: LZF_FILTER_ID, compression_opts: [] as number[] }
      : layout.compression === "gzip"
      ? { compression: "gzip" as const, compression_opts: 4 }
      : {};
    obsm.create_dataset({
      name: "single_cell_images",
      data: new Float32Array(0),
      dtype: "<f",
      shape: [0, names.length, S, S],
      maxshape: [n > 0 ? n : null, names.length, S, S],
      chunks: [1, 1, S, S],
      ...compression,
    });
  } finally {
    f.close();
  }
}
