/**
 * Writes one SpatialData raster element (image or labels) chunk by chunk: all level arrays are
 * declared up front inside the hidden `<type>/.<name>.incomplete` group, level 0 is filled by
 * `writeChunk` (chunk-aligned, concurrent-safe, atomic per chunk), the pyramid is derived from it,
 * and `finalize` writes the NGFF metadata and renames the group to its visible name.
 * @module
 */
import * as zarr from "zarrita";
import { ScportraitError } from "../../errors.ts";
import { Progress } from "../../ui/progress.ts";
import type { AtomicFileSystemStore } from "../zarr/atomic_fs_store.ts";
import { type ChunkCompressor, encodeChunk } from "../zarr/chunk_compressor.ts";
import { registerZarrCodecs } from "../zarr/register_codecs.ts";
import {
  bytesPerSample,
  chunkKey,
  jsonBytes,
  makeV2ArrayMeta,
  padToChunk,
  parseJsonBytes,
  type WritableDtype,
} from "../zarr/v2_array.ts";
import { rasterAttrs, type RasterKind } from "./ngff_metadata.ts";
import {
  buildPyramidChunk,
  type Downsampling,
  type PyramidIo,
  pyramidShapes,
  type RasterArray,
} from "./pyramid.ts";

/** Everything that defines a raster element being written. */
export interface RasterSpec {
  /** Images or labels. */
  kind: RasterKind;
  /** Element name. */
  name: string;
  /** Number of channels (1 for labels, which have no channel axis). */
  channels: number;
  /** Channel names (images only). */
  channelNames: readonly string[] | null;
  /** Level-0 height. */
  height: number;
  /** Level-0 width. */
  width: number;
  /** Chunk (height, width). */
  chunk: readonly [number, number];
  /** Sample type on disk. */
  dtype: WritableDtype;
  /** Chunk compressor. */
  compressor: ChunkCompressor;
  /** Scale factors, each relative to the previous level. */
  scaleFactors: readonly number[];
}

/** Options of long operations. */
export interface WriterRunOptions {
  /** Show progress (default: a quiet-free Progress on stderr). */
  progress?: boolean;
  /** Output chunks processed concurrently (default 4). */
  concurrency?: number;
}

/** Shared implementation behind `ImageWriter` and `LabelsWriter`. */
export class RasterWriter {
  /** The element's definition. */
  readonly spec: RasterSpec;
  /** (height, width) of each level, level 0 first. */
  readonly levelShapes: [number, number][];
  readonly #store: AtomicFileSystemStore;
  readonly #tempKey: string;
  readonly #finalKey: string;
  readonly #onFinalized: () => Promise<void>;
  #pyramidBuilt = false;
  #finalized = false;

  private constructor(
    store: AtomicFileSystemStore,
    spec: RasterSpec,
    tempKey: string,
    finalKey: string,
    onFinalized: () => Promise<void>,
  ) {
    this.#store = store;
    this.spec = spec;
    this.levelShapes = pyramidShapes(spec.height, spec.width, spec.scaleFactors);
    this.#tempKey = tempKey;
    this.#finalKey = finalKey;
    this.#onFinalized = onFinalized;
  }

  /** Declares the group and every level array under `tempKey`; `finalKey` is the visible name. */
  static async start(
    store: AtomicFileSystemStore,
    spec: RasterSpec,
    tempKey: string,
    finalKey: string,
    onFinalized: () => Promise<void>,
  ): Promise<RasterWriter> {
    const writer = new RasterWriter(store, spec, tempKey, finalKey, onFinalized);
    await store.set(`${tempKey}/.zgroup`, jsonBytes({ zarr_format: 2 }));
    await store.set(
      `${tempKey}/.zattrs`,
      jsonBytes({ scportrait_incomplete: { ...spec, started: new Date().toISOString() } }),
    );
    for (let level = 0; level < writer.levelShapes.length; level++) {
      const meta = makeV2ArrayMeta(
        writer.#arrayShape(level),
        writer.#arrayChunks(),
        spec.dtype,
        spec.compressor,
      );
      await store.set(`${tempKey}/${level}/.zarray`, jsonBytes(meta));
    }
    return writer;
  }

  /**
   * Reopens an element an interrupted writer left under `tempKey`, if it was started with the same
   * definition; returns null when there is none. Its level-0 chunks on disk are complete (every
   * chunk is written atomically), so the caller only writes the missing ones.
   */
  static async resume(
    store: AtomicFileSystemStore,
    spec: RasterSpec,
    tempKey: string,
    finalKey: string,
    onFinalized: () => Promise<void>,
  ): Promise<RasterWriter | null> {
    const attrs = await store.get(`${tempKey}/.zattrs`);
    if (attrs === undefined) return null;
    const recorded = (parseJsonBytes(attrs, `${store.root}/${tempKey}/.zattrs`) as {
      scportrait_incomplete?: Record<string, unknown>;
    })
      .scportrait_incomplete;
    const { started: _started, ...previous } = recorded ?? {};
    if (JSON.stringify(previous) !== JSON.stringify({ ...spec })) {
      throw new ScportraitError(
        "ELEMENT_INCOMPLETE",
        `An unfinished ${finalKey} in ${store.root} was started with other settings ` +
          `(${JSON.stringify(previous)}); overwrite it to start again with the new ones.`,
      );
    }
    return new RasterWriter(store, spec, tempKey, finalKey, onFinalized);
  }

  /** Keys (`c/cy/cx` for images, `cy/cx` for labels) of level-0 chunks already on disk. */
  async writtenChunks(): Promise<Set<string>> {
    const found = new Set<string>();
    const walk = async (dir: string, prefix: string[], depth: number) => {
      let entries: Deno.DirEntry[];
      try {
        entries = await Array.fromAsync(Deno.readDir(dir));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return;
        throw error;
      }
      for (const entry of entries) {
        if (!/^\d+$/.test(entry.name)) continue; // skips .zarray and temp files of a killed write
        const key = [...prefix, entry.name];
        if (depth === 1 && entry.isFile) found.add(key.join("/"));
        else if (depth > 1 && entry.isDirectory) await walk(`${dir}/${entry.name}`, key, depth - 1);
      }
    };
    const dims = this.spec.kind === "image" ? 3 : 2;
    await walk(this.#store.pathOf(`${this.#tempKey}/0`), [], dims);
    return found;
  }

  /** Number of chunks along (y, x) of a level. */
  chunkGrid(level = 0): [number, number] {
    const [h, w] = this.levelShapes[level];
    return [Math.ceil(h / this.spec.chunk[0]), Math.ceil(w / this.spec.chunk[1])];
  }

  /**
   * Writes the level-0 chunk whose top-left pixel is (`y0`, `x0`) of `channel`. `data` holds
   * `h × w` samples (row-major); `h`/`w` must be the full chunk size except at the bottom/right edge.
   */
  async writeChunk(
    channel: number,
    y0: number,
    x0: number,
    data: RasterArray,
    h: number,
    w: number,
  ) {
    this.#checkOpen();
    const [cy, cx] = this.#checkAligned(channel, y0, x0, h, w, data.length);
    const bytes = await this.encode(data, h, w);
    await this.writeEncodedChunk(0, channel, cy, cx, bytes);
  }

  /** Encodes a chunk (pads edge chunks to full size) — the part a Worker pool may run. */
  encode(data: RasterArray, h: number, w: number): Promise<Uint8Array> {
    const padded = padToChunk(data, h, w, this.spec.chunk[0], this.spec.chunk[1]);
    const expected = bytesPerSample(this.spec.dtype);
    const wide = widen(padded, expected);
    return encodeChunk(
      this.spec.compressor,
      new Uint8Array(wide.buffer, wide.byteOffset, wide.byteLength),
    );
  }

  /** Stores already-encoded chunk bytes (from `encode`, maybe run in a Worker). */
  async writeEncodedChunk(
    level: number,
    channel: number,
    cy: number,
    cx: number,
    bytes: Uint8Array,
  ): Promise<void> {
    this.#checkOpen();
    const index = this.spec.kind === "image" ? [channel, cy, cx] : [cy, cx];
    await this.#store.set(chunkKey(`${this.#tempKey}/${level}`, index), bytes);
  }

  /** Builds levels 1… from level 0, chunk by chunk. Call after every level-0 chunk is written. */
  async buildPyramid(options: WriterRunOptions = {}): Promise<void> {
    this.#checkOpen();
    registerZarrCodecs();
    const jobs: { level: number; channel: number; cy: number; cx: number }[] = [];
    for (let level = 1; level < this.levelShapes.length; level++) {
      const [gy, gx] = this.chunkGrid(level);
      for (let channel = 0; channel < this.spec.channels; channel++) {
        for (let cy = 0; cy < gy; cy++) {
          for (let cx = 0; cx < gx; cx++) {
            jobs.push({ level, channel, cy, cx });
          }
        }
      }
    }
    const progress = new Progress(`pyramid ${this.spec.name}`, {
      total: jobs.length,
      unit: "chunks",
      quiet: options.progress === false,
    });
    const mode: Downsampling = this.spec.kind === "image" ? "mean" : "nearest";
    const arrays = await this.#openLevels();
    let level = 1;
    while (level < this.levelShapes.length) {
      const levelJobs = jobs.filter((job) => job.level === level);
      await runPool(levelJobs, options.concurrency ?? 4, async (job) => {
        const io = this.#pyramidIo(arrays, job.channel);
        const step = {
          level,
          inShape: this.levelShapes[level - 1],
          outShape: this.levelShapes[level],
          chunk: this.spec.chunk,
          factor: this.spec.scaleFactors[level - 1],
          mode,
        };
        await buildPyramidChunk(io, step, job.cy, job.cx, (n) => allocate(this.spec.dtype, n));
        progress.advance();
      });
      level++;
    }
    progress.finish();
    this.#pyramidBuilt = true;
  }

  /**
   * Completes the element: builds the pyramid if not done, checks that every level-0 chunk exists,
   * writes the NGFF metadata, and renames the group to its visible name (atomic).
   */
  async finalize(options: WriterRunOptions = {}): Promise<void> {
    this.#checkOpen();
    await this.#checkLevel0Complete();
    if (!this.#pyramidBuilt) await this.buildPyramid(options);
    const shapes = this.levelShapes.map((_, level) => this.#arrayShape(level));
    const attrs = rasterAttrs(this.spec.kind, this.spec.name, shapes, this.spec.channelNames);
    await this.#store.set(`${this.#tempKey}/.zattrs`, jsonBytes(attrs));
    try {
      await Deno.rename(this.#store.pathOf(this.#tempKey), this.#store.pathOf(this.#finalKey));
    } catch (error) {
      throw new ScportraitError(
        "ELEMENT_EXISTS",
        `Could not publish ${this.#finalKey} in ${this.#store.root}: another writer created it ` +
          "meanwhile, or the folder is not writable.",
        { cause: error },
      );
    }
    this.#finalized = true;
    await this.#onFinalized();
  }

  #arrayShape(level: number): number[] {
    const [h, w] = this.levelShapes[level];
    return this.spec.kind === "image" ? [this.spec.channels, h, w] : [h, w];
  }

  #arrayChunks(): number[] {
    const [ch, cw] = this.spec.chunk;
    return this.spec.kind === "image" ? [1, ch, cw] : [ch, cw];
  }

  #checkOpen(): void {
    if (this.#finalized) {
      throw new ScportraitError(
        "STORE_INVALID",
        `${this.#finalKey} is already finalized: open it with openImage/openLabels to read it.`,
      );
    }
  }

  #checkAligned(
    channel: number,
    y0: number,
    x0: number,
    h: number,
    w: number,
    length: number,
  ): [number, number] {
    const [ch, cw] = this.spec.chunk;
    const { height, width, channels } = this.spec;
    const ok = Number.isInteger(channel) && channel >= 0 && channel < channels &&
      y0 % ch === 0 && x0 % cw === 0 && y0 >= 0 && x0 >= 0 && y0 < height && x0 < width &&
      h === Math.min(ch, height - y0) && w === Math.min(cw, width - x0) && length === h * w;
    if (!ok) {
      throw new ScportraitError(
        "STORE_INVALID",
        `Chunk write to ${this.#finalKey} at channel ${channel}, y ${y0}, x ${x0}, ${h}×${w} ` +
          `(${length} samples) is not one whole chunk of ${ch}×${cw} inside ${channels}×` +
          `${height}×${width}: align writes to the chunk grid.`,
      );
    }
    return [y0 / ch, x0 / cw];
  }

  async #checkLevel0Complete(): Promise<void> {
    const [gy, gx] = this.chunkGrid(0);
    const missing: string[] = [];
    for (let channel = 0; channel < this.spec.channels; channel++) {
      for (let cy = 0; cy < gy; cy++) {
        for (let cx = 0; cx < gx; cx++) {
          const index = this.spec.kind === "image" ? [channel, cy, cx] : [cy, cx];
          const key = chunkKey(`${this.#tempKey}/0`, index);
          try {
            await Deno.lstat(this.#store.pathOf(key));
          } catch {
            missing.push(index.join("/"));
          }
        }
      }
    }
    if (missing.length > 0) {
      throw new ScportraitError(
        "STORE_INVALID",
        `${this.#finalKey}: ${missing.length} level-0 chunks were never written (first: ` +
          `${missing.slice(0, 5).join(", ")}); write every chunk before finalize().`,
      );
    }
  }

  async #openLevels(): Promise<zarr.Array<zarr.DataType, AtomicFileSystemStore>[]> {
    const root = zarr.root(this.#store);
    const arrays = [];
    for (let level = 0; level < this.levelShapes.length; level++) {
      arrays.push(
        await zarr.open.v2(root.resolve(`${this.#tempKey}/${level}`), {
          kind: "array",
          attrs: false,
        }),
      );
    }
    return arrays;
  }

  #pyramidIo(
    arrays: zarr.Array<zarr.DataType, AtomicFileSystemStore>[],
    channel: number,
  ): PyramidIo {
    const image = this.spec.kind === "image";
    return {
      readChunk: async (level, cy, cx) => {
        const chunk = await arrays[level].getChunk(image ? [channel, cy, cx] : [cy, cx]);
        return chunk.data as RasterArray;
      },
      writeChunk: async (level, cy, cx, data, h, w) => {
        const bytes = await this.encode(data, h, w);
        await this.writeEncodedChunk(level, channel, cy, cx, bytes);
      },
    };
  }
}

function allocate(dtype: WritableDtype, n: number): RasterArray {
  switch (dtype) {
    case "uint8":
      return new Uint8Array(n);
    case "uint16":
      return new Uint16Array(n);
    case "uint32":
      return new Uint32Array(n);
    case "uint64":
      return new BigUint64Array(n);
  }
}

/** Converts samples to the on-disk width (e.g. Uint32Array ids into a uint64 array). */
function widen(data: RasterArray, bytes: number): RasterArray {
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

async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}
