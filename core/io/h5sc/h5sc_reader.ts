/**
 * Reads single-cell datasets: scPortrait `.h5sc` (AnnData, `obsm/single_cell_images`, float16) and
 * the legacy SPARCSpy `single_cells.h5` (`single_cell_data` + `single_cell_index`). Random access
 * by row or cell id and batch iteration with channel selection; pixels are returned as float32.
 * float16 is read through h5wasm's raw helper (its high-level API refuses float16).
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { decodeFloat16 } from "./float16_decode.ts";
import { h5, type H5Module, loadH5wasm } from "./h5wasm_module.ts";
import type { H5scMetadata } from "./h5sc_types.ts";
import { CELL_ID_PATH, IMAGES_PATH } from "./h5sc_writer.ts";
import { DirectChunkReader } from "./direct_chunk_reader.ts";

/** A block of cells: `data` is (count, channels.length, S, S) float32 in row order. */
export interface H5scBatch {
  /** First row of the block. */
  start: number;
  /** Number of cells in the block. */
  count: number;
  /** Channel indices included, in order. */
  channels: number[];
  /** Cell ids of the rows. */
  cellIds: BigUint64Array;
  /** Pixels, (count, channels, S, S). */
  data: Float32Array;
}

/** Options of {@link H5scFile.batches}. */
export interface H5scBatchOptions {
  /** Cells per batch (default 256). */
  batchSize?: number;
  /** Channel indices to read (default all). */
  channels?: number[];
  /** First row (default 0). */
  start?: number;
  /** End row, exclusive (default all). */
  end?: number;
  /**
   * Yield every batch in one reused array, valid until the next batch is requested (copy what you
   * keep): no fresh memory per batch, whose page faults cost more than decoding it. Default false.
   */
  reuse?: boolean;
}

type H5File = InstanceType<typeof h5.File>;

/** An open single-cell dataset. Close it with `close()`. */
export class H5scFile implements H5scMetadata {
  /** Path of the file. */
  readonly path: string;
  readonly format: "h5sc" | "legacy";
  readonly nCells: number;
  readonly nChannels: number;
  readonly nMasks: number;
  readonly imageSize: number;
  readonly channelNames: string[];
  readonly channelMapping: string[];
  readonly cellIds: BigUint64Array;
  readonly dtype: "float16" | "float32";
  readonly #module: H5Module;
  readonly #file: H5File;
  readonly #dataset: string;
  #rowById?: Map<bigint, number>;
  #direct?: DirectChunkReader;
  #ptr = 0;
  #capacity = 0;

  /** @internal use {@link openH5sc}. */
  constructor(module: H5Module, path: string, file: H5File, meta: H5scMetadata, dataset: string) {
    this.#module = module;
    this.path = path;
    this.#file = file;
    this.#dataset = dataset;
    this.format = meta.format;
    this.nCells = meta.nCells;
    this.nChannels = meta.nChannels;
    this.nMasks = meta.nMasks;
    this.imageSize = meta.imageSize;
    this.channelNames = meta.channelNames;
    this.channelMapping = meta.channelMapping;
    this.cellIds = meta.cellIds;
    this.dtype = meta.dtype;
    if (meta.format === "h5sc" && meta.dtype === "float16") {
      this.#direct = DirectChunkReader.open(path, meta.imageSize, meta.nChannels);
    }
  }

  /** True when pixels are read straight from the file (our own `.h5sc` layout), not via HDF5. */
  get directReads(): boolean {
    return this.#direct !== undefined;
  }

  /** Row of a cell id; throws `ELEMENT_NOT_FOUND` when the id is not in the file. */
  rowOf(cellId: bigint | number): number {
    this.#rowById ??= new Map(Array.from(this.cellIds, (id, row) => [id, row]));
    const row = this.#rowById.get(BigInt(cellId));
    if (row === undefined) {
      throw new ScportraitError("ELEMENT_NOT_FOUND", `${this.path}: no cell with id ${cellId}`);
    }
    return row;
  }

  /** Reads `count` rows from `start`, the given channels (default all): (count, ch, S, S). */
  readRows(start: number, count: number, channels?: number[]): Float32Array {
    const chans = channels ?? Array.from({ length: this.nChannels }, (_, i) => i);
    if (start < 0 || count < 0 || start + count > this.nCells) {
      throw new ScportraitError(
        "USAGE",
        `${this.path}: rows ${start}..${start + count} outside 0..${this.nCells}`,
      );
    }
    for (const c of chans) {
      if (!Number.isInteger(c) || c < 0 || c >= this.nChannels) {
        throw new ScportraitError(
          "USAGE",
          `${this.path}: channel ${c} outside 0..${this.nChannels - 1}`,
        );
      }
    }
    const plane = this.imageSize * this.imageSize;
    if (count > 0 && chans.every((c, i) => c === chans[0] + i)) {
      return this.#read(start, count, chans[0], chans.length); // one contiguous channel run
    }
    const out = new Float32Array(count * chans.length * plane);
    if (count === 0 || chans.length === 0) return out;
    // contiguous runs of channels are read with one hyperslab each
    let k = 0;
    while (k < chans.length) {
      let run = 1;
      while (k + run < chans.length && chans[k + run] === chans[k] + run) run++;
      const values = this.#read(start, count, chans[k], run);
      for (let r = 0; r < count; r++) {
        out.set(
          values.subarray(r * run * plane, (r + 1) * run * plane),
          (r * chans.length + k) * plane,
        );
      }
      k += run;
    }
    return out;
  }

  /** {@link readRows} into `out` (≥ count·channels·S·S values); returns the filled view. */
  #readRowsInto(start: number, count: number, chans: number[], out: Float32Array): Float32Array {
    const plane = this.imageSize * this.imageSize;
    const n = count * chans.length * plane;
    const contiguous = chans.every((c, i) => c === chans[0] + i);
    if (this.#direct && contiguous && count > 0 && start >= 0 && start + count <= this.nCells) {
      if (chans[0] < 0 || chans[chans.length - 1] >= this.nChannels) {
        this.readRows(start, 0, chans); // names the bad channel
      }
      return this.#direct.read(start, count, chans[0], chans.length, out);
    }
    const rows = this.readRows(start, count, chans);
    out.set(rows);
    return out.subarray(0, n);
  }

  /** Reads one cell by row: (channels, S, S). */
  readCell(row: number, channels?: number[]): Float32Array {
    return this.readRows(row, 1, channels);
  }

  /**
   * Reads one cell (all channels) into `out` (≥ channels·S·S values) and returns the filled
   * view: for many random single-cell reads, where allocating a fresh large array per cell costs
   * more than decoding it.
   */
  readCellInto(row: number, out: Float32Array): Float32Array {
    const n = this.nChannels * this.imageSize * this.imageSize;
    if (out.length < n || !(row >= 0 && row < this.nCells)) {
      throw new ScportraitError(
        "USAGE",
        `${this.path}: readCellInto needs row in 0..${this.nCells - 1} and ${n} values, got ` +
          `row ${row} and ${out.length}`,
      );
    }
    if (this.#direct) return this.#direct.read(row, 1, 0, this.nChannels, out);
    const cell = this.readRows(row, 1);
    out.set(cell);
    return out.subarray(0, n);
  }

  /** Reads one cell by its id: (channels, S, S). */
  readCellById(cellId: bigint | number, channels?: number[]): Float32Array {
    return this.readRows(this.rowOf(cellId), 1, channels);
  }

  /** Iterates over the rows in blocks of `batchSize` cells. */
  *batches(options: H5scBatchOptions = {}): Generator<H5scBatch> {
    const size = Math.max(1, options.batchSize ?? 256);
    const channels = options.channels ?? Array.from({ length: this.nChannels }, (_, i) => i);
    const end = Math.min(options.end ?? this.nCells, this.nCells);
    const plane = this.imageSize * this.imageSize;
    let buffer: Float32Array | undefined;
    for (let start = options.start ?? 0; start < end; start += size) {
      const count = Math.min(size, end - start);
      let data: Float32Array;
      if (options.reuse) {
        // read into the reused buffer: one contiguous channel run at once, else run by run
        buffer ??= new Float32Array(size * channels.length * plane);
        data = this.#readRowsInto(start, count, channels, buffer);
      } else data = this.readRows(start, count, channels);
      yield { start, count, channels, cellIds: this.cellIds.slice(start, start + count), data };
    }
  }

  #read(start: number, count: number, channel: number, run: number): Float32Array {
    if (this.#direct) return this.#direct.read(start, count, channel, run);
    const m = this.#module;
    const S = this.imageSize;
    const n = count * run * S * S;
    const elementSize = this.dtype === "float16" ? 2 : 4;
    const bytes = n * elementSize;
    if (bytes > this.#capacity) {
      if (this.#ptr) m._free(this.#ptr);
      this.#capacity = Math.max(bytes, 1 << 20);
      this.#ptr = m._malloc(this.#capacity);
      if (!this.#ptr) this.#capacity = 0;
    }
    if (!this.#ptr) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `${this.path}: wasm heap exhausted; read fewer rows`,
      );
    }
    const status = m.get_dataset_data(
      this.#file.file_id,
      this.#dataset,
      [BigInt(count), BigInt(run), BigInt(S), BigInt(S)],
      [BigInt(start), BigInt(channel), 0n, 0n],
      [1n, 1n, 1n, 1n],
      BigInt(this.#ptr),
    );
    if (status < 0) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `${this.path}: reading rows ${start}+${count} failed`,
      );
    }
    if (elementSize === 2) return decodeFloat16(new Uint16Array(m.HEAPU8.buffer, this.#ptr, n));
    return new Float32Array(m.HEAPU8.buffer, this.#ptr, n).slice();
  }

  /** Releases the file handle and buffers. */
  close(): void {
    if (this.#ptr) this.#module._free(this.#ptr);
    this.#ptr = 0;
    this.#capacity = 0;
    this.#direct?.close();
    this.#direct = undefined;
    this.#file.close();
  }
}

function readStrings(file: H5File, path: string): string[] | undefined {
  const node = file.get(path);
  if (node instanceof h5.Dataset) return (node.value as unknown[]).map(String);
  if (node instanceof h5.Group) {
    // pandas categorical: categories + codes
    const categories = (file.get(`${path}/categories`) as InstanceType<typeof h5.Dataset>)
      .value as unknown[];
    const codes = (file.get(`${path}/codes`) as InstanceType<typeof h5.Dataset>).value as ArrayLike<
      number
    >;
    return Array.from(codes, (c) => c < 0 ? "" : String(categories[c]));
  }
  return undefined;
}

function datasetShape(module: H5Module, file: H5File, path: string) {
  const meta = module.get_dataset_metadata(file.file_id, path);
  return { shape: (meta.shape ?? []).map(Number), size: meta.size, type: meta.type };
}

/**
 * Opens an `.h5sc` (scPortrait) or legacy SPARCSpy `single_cells.h5` file for reading. Throws
 * `INPUT_NOT_FOUND` when the path does not exist and `H5SC_INVALID` when the layout is neither.
 */
export async function openH5sc(path: string): Promise<H5scFile> {
  try {
    Deno.statSync(path);
  } catch (cause) {
    throw new ScportraitError("INPUT_NOT_FOUND", `${path}: no such single-cell file`, { cause });
  }
  const module = await loadH5wasm();
  const file = new h5.File(path, "r");
  try {
    const keys = file.keys();
    if (keys.includes("obsm") && file.get(IMAGES_PATH)) {
      const { shape, size } = datasetShape(module, file, IMAGES_PATH);
      const idsNode = file.get(CELL_ID_PATH) as InstanceType<typeof h5.Dataset>;
      const cellIds = new BigUint64Array(idsNode.value as BigUint64Array);
      const channelNames = readStrings(file, "var/channels") ??
        Array.from({ length: shape[1] }, (_, i) => `channel_${i}`);
      const channelMapping = readStrings(file, "var/channel_mapping") ?? [];
      const meta: H5scMetadata = {
        format: "h5sc",
        nCells: shape[0],
        nChannels: shape[1],
        nMasks: channelMapping.filter((m) => m === "mask").length,
        imageSize: shape[2],
        channelNames,
        channelMapping,
        cellIds,
        dtype: checkDtype(path, size),
      };
      return new H5scFile(module, path, file, meta, IMAGES_PATH);
    }
    if (keys.includes("single_cell_data") && keys.includes("single_cell_index")) {
      const { shape, size } = datasetShape(module, file, "single_cell_data");
      const index = (file.get("single_cell_index") as InstanceType<typeof h5.Dataset>).value;
      const flat = Array.from(index as ArrayLike<number | bigint>, (v) => BigInt(v));
      const cellIds = new BigUint64Array(shape[0]);
      for (let i = 0; i < shape[0]; i++) cellIds[i] = flat[2 * i + 1];
      const names = ["nucleus_mask", "cell_mask"];
      for (let c = 2; c < shape[1]; c++) names.push(`channel_${c - 2}`);
      const meta: H5scMetadata = {
        format: "legacy",
        nCells: shape[0],
        nChannels: shape[1],
        nMasks: Math.min(2, shape[1]),
        imageSize: shape[2],
        channelNames: names.slice(0, shape[1]),
        channelMapping: names.slice(0, shape[1]).map((_, i) => i < 2 ? "mask" : "image_channel"),
        cellIds,
        dtype: checkDtype(path, size),
      };
      return new H5scFile(module, path, file, meta, "single_cell_data");
    }
    throw new ScportraitError(
      "H5SC_INVALID",
      `${path}: neither an .h5sc (${IMAGES_PATH}) nor a legacy single_cells.h5 ` +
        "(single_cell_data + single_cell_index); is this a single-cell dataset?",
    );
  } catch (error) {
    file.close();
    throw error;
  }
}

function checkDtype(path: string, size: number): "float16" | "float32" {
  if (size === 2) return "float16";
  if (size === 4) return "float32";
  throw new ScportraitError(
    "H5SC_INVALID",
    `${path}: single-cell images have ${size}-byte elements; only float16/float32 are supported`,
  );
}
