/**
 * Writes one SpatialData raster element (image or labels) chunk by chunk: all level arrays are
 * declared up front inside the hidden `<type>/.<name>.incomplete` group, level 0 is filled by
 * `writeChunk` (chunk-aligned, concurrent-safe, atomic per chunk), the pyramid is derived from it,
 * and `finalize` writes the NGFF metadata and renames the group to its visible name.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { AtomicFileSystemStore } from "../zarr/atomic_fs_store.ts";
import type { ChunkCompressor } from "../zarr/chunk_compressor.ts";
import {
  bytesPerSample,
  chunkKey,
  jsonBytes,
  makeV2ArrayMeta,
  parseJsonBytes,
  type WritableDtype,
} from "../zarr/v2_array.ts";
import { type ChunkJob, type ChunkJobResult, runChunkJob } from "./chunk_job.ts";
import type { ChunkJobPool } from "./chunk_job_pool.ts";
import { type LevelChunk, streamableLevels, StreamingPyramid } from "./streaming_pyramid.ts";
import { rasterAttrs, type RasterKind } from "./ngff_metadata.ts";
import { buildPyramidLevels } from "./pyramid_pass.ts";
import { pyramidShapes, type RasterArray } from "./pyramid.ts";

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

/** How a writer runs (not part of the element's definition). */
export interface WriterRuntime {
  /** Encode chunks (and reduce them for the pyramid) in this Worker pool; default in-process. */
  pool?: ChunkJobPool;
  /**
   * Build the pyramid levels while level 0 is written (default true for a new element; a resumed
   * element always rebuilds its pyramid from level 0 at finalize).
   */
  streamPyramid?: boolean;
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
  readonly #pool: ChunkJobPool | undefined;
  #streaming: StreamingPyramid | null = null;
  #pyramidBuilt = false;
  #finalized = false;

  private constructor(
    store: AtomicFileSystemStore,
    spec: RasterSpec,
    keys: { temp: string; final: string },
    onFinalized: () => Promise<void>,
    runtime: WriterRuntime,
    fresh: boolean,
  ) {
    this.#store = store;
    this.spec = spec;
    this.levelShapes = pyramidShapes(spec.height, spec.width, spec.scaleFactors);
    this.#tempKey = keys.temp;
    this.#finalKey = keys.final;
    this.#onFinalized = onFinalized;
    this.#pool = runtime.pool;
    const k = streamableLevels(spec.chunk, spec.scaleFactors);
    if (fresh && (runtime.streamPyramid ?? true) && k > 0) {
      const factors = spec.scaleFactors.slice(0, k);
      this.#streaming = new StreamingPyramid(this.levelShapes, spec.chunk, factors);
    }
  }

  /** Declares the group and every level array under `tempKey`; `finalKey` is the visible name. */
  static async start(
    store: AtomicFileSystemStore,
    spec: RasterSpec,
    tempKey: string,
    finalKey: string,
    onFinalized: () => Promise<void>,
    runtime: WriterRuntime = {},
  ): Promise<RasterWriter> {
    const keys = { temp: tempKey, final: finalKey };
    const writer = new RasterWriter(store, spec, keys, onFinalized, runtime, true);
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
    runtime: WriterRuntime = {},
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
    const keys = { temp: tempKey, final: finalKey };
    return new RasterWriter(store, spec, keys, onFinalized, runtime, false);
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
   * With `transfer` and a Worker pool, `data`'s buffer is moved to the worker (do not reuse it).
   */
  writeChunk(
    channel: number,
    y0: number,
    x0: number,
    data: RasterArray,
    h: number,
    w: number,
    options: { transfer?: boolean } = {},
  ): Promise<void> {
    return this.writeBand(channel, y0, x0, data, h, w, options).then(() => {});
  }

  /**
   * Writes the level-0 chunks of one chunk row cut from a band: `data` holds `h × width` samples
   * whose top-left pixel is (`y0`, `x0`), chunk-aligned, `h` the chunk height (or what is left at
   * the bottom) and `width` whole chunks (or up to the right edge). The chunks are cut, encoded
   * and stored in one job (in a Worker when there is a pool). Returns an array with `data`'s
   * buffer the caller may reuse for its next band (`data` itself, or the buffer a Worker
   * transferred back), or undefined when that buffer stayed with the worker.
   */
  async writeBand(
    channel: number,
    y0: number,
    x0: number,
    data: RasterArray,
    h: number,
    width: number,
    options: { transfer?: boolean } = {},
  ): Promise<RasterArray | undefined> {
    this.#checkOpen();
    const cw = this.spec.chunk[1];
    const cells: [number, number][] = [];
    for (let x = x0; x < x0 + width; x += cw) {
      const w = Math.min(cw, x0 + width - x);
      cells.push(this.#checkAligned(channel, y0, x, h, w, h * w));
    }
    if (data.length !== h * width) {
      throw new ScportraitError(
        "STORE_INVALID",
        `Band write to ${this.#finalKey} at channel ${channel}, y ${y0}, x ${x0}: ${data.length} ` +
          `samples given for ${h}×${width}; pass exactly height × width samples.`,
      );
    }
    const streaming = this.#streaming;
    const result = await this.#runJob({
      ...this.#job(data, h, width, cells.map(([cy, cx]) => [0, channel, cy, cx])),
      reduce: streaming === null ? undefined : {
        factors: this.spec.scaleFactors.slice(0, streaming.levels),
        mode: this.spec.kind === "image" ? "mean" : "nearest",
      },
    }, options.transfer ?? false);
    await this.#putReturned(result, cells.map(([cy, cx]) => [0, channel, cy, cx]));
    const reusable = result.band ?? (data.length > 0 ? data : undefined); // empty: transferred
    if (streaming === null || streaming !== this.#streaming) return reusable;
    const done: LevelChunk[] = [];
    for (let i = 0; i < cells.length && this.#streaming !== null; i++) {
      const completed = streaming.add(channel, cells[i][0], cells[i][1], result.reduced[i]);
      if (completed === null) this.#streaming = null; // a chunk written twice: rebuild at finalize
      else done.push(...completed);
    }
    if (this.#streaming !== null) {
      await Promise.all(done.map((chunk) => this.#writeLevelChunk(chunk)));
    }
    return reusable;
  }

  /** Encodes a chunk (pads edge chunks to full size), in the Worker pool if there is one. */
  async encode(data: RasterArray, h: number, w: number): Promise<Uint8Array> {
    return (await this.#runJob({ ...this.#job(data, h, w, [null]) }, false)).bytes[0];
  }

  /**
   * Stores already-encoded chunk bytes (from `encode`, maybe run elsewhere). Level-0 chunks
   * stored this way are not seen by the streaming pyramid, which is then rebuilt at finalize.
   */
  async writeEncodedChunk(
    level: number,
    channel: number,
    cy: number,
    cx: number,
    bytes: Uint8Array,
  ): Promise<void> {
    this.#checkOpen();
    if (level === 0) this.#streaming = null;
    await this.#store.set(this.#chunkKey(level, channel, cy, cx), bytes);
  }

  /** A job cutting `cells` (level, channel, cy, cx; null = return bytes only) out of a band. */
  #job(
    data: RasterArray,
    h: number,
    width: number,
    cells: ([number, number, number, number] | null)[],
  ): ChunkJob {
    const cw = this.spec.chunk[1];
    const direct = this.#pool === undefined ||
      (this.#pool.writeRoot !== undefined && within(this.#store.root, this.#pool.writeRoot));
    return {
      data,
      width,
      h,
      parts: cells.map((cell, i) => ({
        x: i * cw,
        w: Math.min(cw, width - i * cw),
        path: cell !== null && direct ? this.#store.pathOf(this.#chunkKey(...cell)) : undefined,
      })),
      chunk: this.spec.chunk,
      diskBytes: bytesPerSample(this.spec.dtype),
      compressor: this.spec.compressor,
    };
  }

  #runJob(job: ChunkJob, transfer: boolean): Promise<ChunkJobResult> {
    return this.#pool ? this.#pool.run(job, { transfer }) : runChunkJob(job);
  }

  /** Stores the bytes a job returned instead of writing them itself. */
  async #putReturned(result: ChunkJobResult, cells: [number, number, number, number][]) {
    for (let i = 0; i < cells.length; i++) {
      if (result.bytes[i].byteLength > 0) {
        await this.#store.set(this.#chunkKey(...cells[i]), result.bytes[i]);
      }
    }
  }

  #chunkKey(level: number, channel: number, cy: number, cx: number): string {
    const index = this.spec.kind === "image" ? [channel, cy, cx] : [cy, cx];
    return chunkKey(`${this.#tempKey}/${level}`, index);
  }

  async #writeLevelChunk(chunk: LevelChunk): Promise<void> {
    const cell: [number, number, number, number] = [chunk.level, chunk.channel, chunk.cy, chunk.cx];
    const result = await this.#runJob(this.#job(chunk.data, chunk.h, chunk.w, [cell]), true);
    await this.#putReturned(result, [cell]);
    this.#streaming?.recycle(result.band ?? chunk.data); // an empty array if it was transferred
  }

  /**
   * Builds levels `fromLevel`… (default 1) from the level before, chunk by chunk. Call after every
   * chunk of the level before is written.
   */
  async buildPyramid(options: WriterRunOptions = {}, fromLevel = 1): Promise<void> {
    this.#checkOpen();
    await buildPyramidLevels({
      store: this.#store,
      groupKey: this.#tempKey,
      spec: this.spec,
      levelShapes: this.levelShapes,
      fromLevel,
      writeLevelChunk: (chunk) => this.#writeLevelChunk(chunk),
    }, options);
    this.#pyramidBuilt = true;
  }

  /**
   * Completes the element: builds the pyramid if not done, checks that every level-0 chunk exists,
   * writes the NGFF metadata, and renames the group to its visible name (atomic).
   */
  async finalize(options: WriterRunOptions = {}): Promise<void> {
    this.#checkOpen();
    await this.#checkLevel0Complete();
    if (!this.#pyramidBuilt) {
      const streaming = this.#streaming;
      const [gy, gx] = this.chunkGrid(0);
      const streamed = streaming !== null && streaming.pending === 0 &&
        streaming.fed === gy * gx * this.spec.channels;
      await this.buildPyramid(options, streamed ? streaming.levels + 1 : 1);
    }
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
}

function within(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith("/") ? root : `${root}/`);
}
