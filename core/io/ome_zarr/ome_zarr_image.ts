/**
 * An OME-Zarr multiscale image as an `ImageSource` of its full-resolution level, with window reads
 * on any level. Axes may be (y,x), (c,y,x) or (t,c,z,y,x) and similar, as long as every axis other
 * than c, y and x has size 1.
 * @module
 */
import * as zarr from "zarrita";
import type { Readable } from "@zarrita/storage";
import { ScportraitError } from "../../errors.ts";
import type { ImageSource, PixelWindow } from "../image_source.ts";
import { conversionIsLossy, type NumericArray, toUint16 } from "./to_uint16.ts";
import type { NgffImageMeta } from "./ngff_reader.ts";
import { ZstdChunkReader } from "../zarr/zstd_chunk_reader.ts";

/** Budget of the decoded-chunk cache of uint16 window reads into a caller's buffer (64 MiB). */
const CHUNK_CACHE_BYTES = 64 * 1024 * 1024;

/** Shape of one pyramid level. */
export interface LevelInfo {
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
  /** Chunk (height, width). */
  chunk: [number, number];
}

/** A multiscale OME-Zarr image; the `ImageSource` view is level 0. */
export class OmeZarrImage implements ImageSource {
  /** Path or URL of the image group. */
  readonly description: string;
  /** Number of channels (1 without a c axis). */
  readonly channels: number;
  /** Level-0 height. */
  readonly height: number;
  /** Level-0 width. */
  readonly width: number;
  /** Channel labels from `omero`, else `channel_<i>`. */
  readonly channelNames: readonly string[];
  /** Sample type on disk. */
  readonly sourceDtype: string;
  /** Level-0 chunk (height, width). */
  readonly blockShape: readonly [number, number];
  /** Every level, full resolution first. */
  readonly levels: readonly LevelInfo[];
  /** The metadata read from the group. */
  readonly meta: NgffImageMeta;
  readonly #arrays: zarr.Array<zarr.DataType, Readable>[];
  readonly #axis: { c: number; y: number; x: number };
  readonly #chunkCache = new Map<string, Promise<zarr.Chunk<zarr.DataType>>>();
  readonly #decoded = new Map<string, Uint16Array>();
  #reader: Promise<ZstdChunkReader | null> | undefined;
  #warned = false;

  /** Wraps opened level arrays; use `openOmeZarrSource` or `SpatialDataStore.openImage`. */
  constructor(
    description: string,
    meta: NgffImageMeta,
    arrays: zarr.Array<zarr.DataType, Readable>[],
  ) {
    this.description = description;
    this.meta = meta;
    this.#arrays = arrays;
    const level0 = arrays[0];
    const axes = meta.axes;
    if (axes.length !== level0.shape.length) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${description}: multiscales lists ${axes.length} axes (${axes.join(",")}) but level ` +
          `"${meta.paths[0]}" has ${level0.shape.length} dimensions.`,
      );
    }
    const y = axes.indexOf("y");
    const x = axes.indexOf("x");
    const c = axes.indexOf("c");
    if (y < 0 || x < 0) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${description}: axes ${axes.join(",")} lack "y" or "x"; only 2-D images can be read.`,
      );
    }
    axes.forEach((name, i) => {
      if (i !== c && i !== y && i !== x && level0.shape[i] !== 1) {
        throw new ScportraitError(
          "INPUT_INVALID",
          `${description}: axis "${name}" has size ${level0.shape[i]}; only size 1 is supported ` +
            "for axes other than c, y, x. Select one plane first.",
        );
      }
    });
    this.#axis = { c, y, x };
    this.channels = c < 0 ? 1 : level0.shape[c];
    this.height = level0.shape[y];
    this.width = level0.shape[x];
    this.sourceDtype = String(level0.dtype);
    this.levels = arrays.map((a) => ({
      height: a.shape[y],
      width: a.shape[x],
      chunk: [a.chunks[y], a.chunks[x]],
    }));
    this.blockShape = this.levels[0].chunk;
    const labels = meta.channelLabels;
    this.channelNames = Array.from(
      { length: this.channels },
      (_, i) => labels?.[i] ?? `channel_${i}`,
    );
  }

  /**
   * Reads a level-0 window of one channel as uint16; uint16 arrays are read straight into
   * `into` when given (chunk by chunk, no intermediate window array).
   */
  readWindow(
    channel: number,
    window: PixelWindow,
    options: { signal?: AbortSignal; into?: Uint16Array } = {},
  ): Promise<Uint16Array> {
    if (options.into !== undefined && this.sourceDtype === "uint16") {
      return this.#readUint16Into(channel, window, options.into, options.signal);
    }
    return this.readLevelWindow(0, channel, window, options);
  }

  /** Copies the level-0 window of a uint16 array into `into`, chunk by chunk. */
  async #readUint16Into(
    channel: number,
    window: PixelWindow,
    into: Uint16Array,
    signal?: AbortSignal,
  ): Promise<Uint16Array> {
    this.#checkWindow(0, channel, window);
    if (into.length !== window.height * window.width) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${this.description}: the buffer for window ${JSON.stringify(window)} holds ` +
          `${into.length} samples, not ${window.height * window.width}.`,
      );
    }
    const array = this.#arrays[0];
    const { c, y, x } = this.#axis;
    const chunks = array.chunks;
    const reader = await (this.#reader ??= ZstdChunkReader.open(array));
    const decodedStrides = cOrderStrides(chunks);
    const reads: Promise<void>[] = [];
    const y1 = window.y + window.height, x1 = window.x + window.width;
    for (let cy = Math.floor(window.y / chunks[y]); cy * chunks[y] < y1; cy++) {
      for (let cx = Math.floor(window.x / chunks[x]); cx * chunks[x] < x1; cx++) {
        const coords = chunks.map((size, i) =>
          i === y ? cy : i === x ? cx : i === c ? Math.floor(channel / size) : 0
        );
        const copy = (data: Uint16Array, stride: readonly number[]) => {
          const top = cy * chunks[y], left = cx * chunks[x];
          const r0 = Math.max(window.y, top), r1 = Math.min(y1, top + chunks[y]);
          const c0 = Math.max(window.x, left), c1 = Math.min(x1, left + chunks[x]);
          const base = c >= 0 ? (channel % chunks[c]) * stride[c] : 0;
          for (let r = r0; r < r1; r++) {
            const from = base + (r - top) * stride[y] + (c0 - left) * stride[x];
            const to = (r - window.y) * window.width + c0 - window.x;
            if (stride[x] === 1) into.set(data.subarray(from, from + c1 - c0), to);
            else for (let k = 0; k < c1 - c0; k++) into[to + k] = data[from + k * stride[x]];
          }
        };
        if (reader !== null) {
          // synchronous: a decoded chunk is copied before any other read can recycle it
          try {
            copy(this.#decodedChunk(reader, coords), decodedStrides);
          } catch (error) {
            reads.push(Promise.reject(error));
          }
          continue;
        }
        reads.push(
          this.#cachedChunk(coords, signal).then((chunk) =>
            copy(chunk.data as Uint16Array, chunk.stride)
          ),
        );
      }
    }
    try {
      await Promise.all(reads);
    } catch (error) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${this.description}: reading window ${
          JSON.stringify(window)
        } of channel ${channel} failed.`,
        { cause: error },
      );
    }
    return into;
  }

  /** Reads a window of one channel on pyramid `level`, as uint16. */
  async readLevelWindow(
    level: number,
    channel: number,
    window: PixelWindow,
    options: { signal?: AbortSignal } = {},
  ): Promise<Uint16Array> {
    const raw = await this.readLevelRaw(level, channel, window, options);
    if (conversionIsLossy(this.sourceDtype) && !this.#warned) {
      this.#warned = true;
      console.warn(
        `${this.description}: ${this.sourceDtype} samples are rounded and clipped to uint16 ` +
          "[0, 65535].",
      );
    }
    return toUint16(raw, this.sourceDtype);
  }

  /** Reads a window of one channel on `level` in the stored dtype (no conversion). */
  async readLevelRaw(
    level: number,
    channel: number,
    window: PixelWindow,
    options: { signal?: AbortSignal } = {},
  ): Promise<NumericArray> {
    this.#checkWindow(level, channel, window);
    const selection = this.#arrays[level].shape.map((_, i) => {
      if (i === this.#axis.y) return zarr.slice(window.y, window.y + window.height);
      if (i === this.#axis.x) return zarr.slice(window.x, window.x + window.width);
      if (i === this.#axis.c) return channel;
      return 0;
    });
    try {
      const result = await zarr.get(this.#arrays[level], selection, {
        opts: { signal: options.signal },
      });
      return result.data as NumericArray;
    } catch (error) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${this.description}: reading level ${level} window ${JSON.stringify(window)} failed.`,
        { cause: error },
      );
    }
  }

  /**
   * Level-0 chunk `coords` decoded by the fast path, from the same kind of cache as
   * {@link #cachedChunk}; evicted chunks' memory is decoded into again (fresh memory costs page
   * faults). The result is valid until the next call.
   */
  #decodedChunk(reader: ZstdChunkReader, coords: number[]): Uint16Array {
    const key = coords.join("/");
    const cache = this.#decoded;
    let data = recentlyUsed(cache, key);
    if (data !== undefined) return data;
    const chunkBytes = reader.chunkSamples * 2;
    let spare: Uint16Array | undefined;
    while (cache.size > 0 && (cache.size + 1) * chunkBytes > CHUNK_CACHE_BYTES) {
      const oldest = cache.keys().next().value!;
      spare = cache.get(oldest);
      cache.delete(oldest);
    }
    data = spare ?? new Uint16Array(reader.chunkSamples);
    if (!reader.read(coords, data)) data.fill(reader.fillValue);
    cache.set(key, data);
    return data;
  }

  /**
   * Level-0 chunk `coords`, decoded, from a small least-recently-used cache: windows with halos
   * share chunks with the window read before them (a 2048-pixel tile with a 128-pixel halo
   * reads 4 × 4 chunks of 1024², half of them its left neighbour's), and decoding dominated
   * reading. At most {@link CHUNK_CACHE_BYTES}, so memory stays flat in the image size.
   */
  #cachedChunk(coords: number[], signal?: AbortSignal): Promise<zarr.Chunk<zarr.DataType>> {
    const key = coords.join("/");
    const cache = this.#chunkCache;
    let chunk = recentlyUsed(cache, key);
    if (chunk !== undefined) return chunk;
    chunk = this.#arrays[0].getChunk(coords, { signal });
    chunk.catch(() => cache.delete(key));
    cache.set(key, chunk);
    const chunkBytes = this.#arrays[0].chunks.reduce((a, b) => a * b, 2);
    while (cache.size > 1 && cache.size * chunkBytes > CHUNK_CACHE_BYTES) {
      cache.delete(cache.keys().next().value!);
    }
    return chunk;
  }

  /** Throws `INPUT_INVALID` unless `window` of `channel` lies inside `level`. */
  #checkWindow(level: number, channel: number, window: PixelWindow): void {
    const info = this.levels[level];
    const ok = info !== undefined && Number.isInteger(channel) && channel >= 0 &&
      channel < this.channels && window.y >= 0 && window.x >= 0 && window.height > 0 &&
      window.width > 0 && window.y + window.height <= info.height &&
      window.x + window.width <= info.width;
    if (!ok) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${this.description}: window ${JSON.stringify(window)} of channel ${channel} on level ` +
          `${level} is outside the image (${this.channels} channels, levels ` +
          `${this.levels.map((l) => `${l.height}×${l.width}`).join(", ")}).`,
      );
    }
  }

  /** Nothing to release (stores hold no open handles between reads). */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** `cache`'s entry for `key`, moved to the most recently used end (a Map keeps insertion order). */
function recentlyUsed<V>(cache: Map<string, V>, key: string): V | undefined {
  const value = cache.get(key);
  if (value !== undefined) {
    cache.delete(key);
    cache.set(key, value);
  }
  return value;
}

/** Element strides of a C-order chunk of shape `shape`. */
function cOrderStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i];
  }
  return strides;
}
