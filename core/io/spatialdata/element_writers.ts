/**
 * Typed front ends of `RasterWriter` for images (c, y, x; uint16) and labels (y, x; uint32 or
 * uint64). Both write level 0 chunk by chunk, then `finalize()` builds the pyramid, writes the
 * metadata and makes the element visible.
 * @module
 */
import type { ChunkCompressor } from "../zarr/chunk_compressor.ts";
import type { RasterWriter, WriterRunOptions, WriterRuntime } from "./raster_writer.ts";

/** Options of `SpatialDataStore.createImage`. */
export interface CreateImageOptions extends WriterRuntime {
  /** Number of channels. */
  channels: number;
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
  /** One name per channel (stored as `omero.channels[].label`). */
  channelNames: readonly string[];
  /** Chunk shape `[1, height, width]`; default `[1, 1024, 1024]`. */
  chunk?: readonly [1, number, number];
  /** Sample type; only `uint16` (scPortrait's image type). */
  dtype?: "uint16";
  /** Scale factors, each relative to the previous level; default `[2, 4, 8]` as scPortrait. */
  scaleFactors?: readonly number[];
  /** Chunk compressor; default native zstd level 1. */
  compressor?: ChunkCompressor;
  /** Replace an existing (or unfinished) element of that name instead of failing. */
  overwrite?: boolean;
  /**
   * Continue an unfinished element of that name started with the same settings (its chunks on
   * disk are kept); without it an unfinished element is refused like a finished one.
   */
  resume?: boolean;
}

/** Options of `SpatialDataStore.createLabels`. */
export interface CreateLabelsOptions extends WriterRuntime {
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
  /** Chunk shape `[height, width]`; default `[1024, 1024]`. */
  chunk?: readonly [number, number];
  /** Label id type on disk; default `uint64` as scPortrait (see docs/decisions.md). */
  dtype?: "uint32" | "uint64";
  /** Scale factors, each relative to the previous level; default `[2, 4, 8]`. */
  scaleFactors?: readonly number[];
  /** Chunk compressor; default native zstd level 1. */
  compressor?: ChunkCompressor;
  /** Replace an existing (or unfinished) element of that name instead of failing. */
  overwrite?: boolean;
  /**
   * Continue an unfinished element of that name started with the same settings (its chunks on
   * disk are kept); without it an unfinished element is refused like a finished one.
   */
  resume?: boolean;
}

/** Writes an image element; chunk writes may run concurrently. */
export class ImageWriter {
  readonly #raster: RasterWriter;

  /** Wraps a started raster writer (use `SpatialDataStore.createImage`). */
  constructor(raster: RasterWriter) {
    this.#raster = raster;
  }

  /** Chunk (height, width). */
  get chunk(): readonly [number, number] {
    return this.#raster.spec.chunk;
  }

  /** (height, width) of every level, level 0 first. */
  get levelShapes(): readonly (readonly [number, number])[] {
    return this.#raster.levelShapes;
  }

  /** The compressor chunks are encoded with (for encoding in Workers). */
  get compressor(): ChunkCompressor {
    return this.#raster.spec.compressor;
  }

  /**
   * Writes the level-0 chunk of `channel` whose top-left pixel is (`y0`, `x0`); `h × w` samples.
   * With `transfer` and a Worker pool, `data`'s buffer moves to the worker (do not reuse it).
   */
  writeChunk(
    channel: number,
    y0: number,
    x0: number,
    data: Uint16Array,
    h: number,
    w: number,
    options: { transfer?: boolean } = {},
  ): Promise<void> {
    return this.#raster.writeChunk(channel, y0, x0, data, h, w, options);
  }

  /**
   * Writes the level-0 chunks of one chunk row of `channel` from a band of `h × width` samples
   * whose top-left pixel is (`y0`, `x0`) (chunk-aligned; `width` whole chunks or up to the right
   * edge). Cutting, encoding and storing run in one job (in a Worker when there is a pool).
   * Returns an array with `data`'s buffer to reuse for the next band (`data` itself, or the buffer
   * a Worker transferred back), or undefined.
   */
  async writeBand(
    channel: number,
    y0: number,
    x0: number,
    data: Uint16Array,
    h: number,
    width: number,
    options: { transfer?: boolean } = {},
  ): Promise<Uint16Array | undefined> {
    const back = await this.#raster.writeBand(channel, y0, x0, data, h, width, options);
    return back instanceof Uint16Array ? back : undefined;
  }

  /** Keys `channel/cy/cx` of the level-0 chunks already on disk (non-empty when resuming). */
  writtenChunks(): Promise<Set<string>> {
    return this.#raster.writtenChunks();
  }

  /** Stores pre-encoded bytes of level-0 chunk (`channel`, `cy`, `cx`) (chunk grid indices). */
  writeEncodedChunk(channel: number, cy: number, cx: number, bytes: Uint8Array): Promise<void> {
    return this.#raster.writeEncodedChunk(0, channel, cy, cx, bytes);
  }

  /** Builds the downsampled levels from level 0 (also done by `finalize`). */
  buildPyramid(options: WriterRunOptions = {}): Promise<void> {
    return this.#raster.buildPyramid(options);
  }

  /** Builds the pyramid if needed, writes the metadata and publishes the element. */
  finalize(options: WriterRunOptions = {}): Promise<void> {
    return this.#raster.finalize(options);
  }
}

/** Writes a labels element; chunk writes may run concurrently. */
export class LabelsWriter {
  readonly #raster: RasterWriter;

  /** Wraps a started raster writer (use `SpatialDataStore.createLabels`). */
  constructor(raster: RasterWriter) {
    this.#raster = raster;
  }

  /** Chunk (height, width). */
  get chunk(): readonly [number, number] {
    return this.#raster.spec.chunk;
  }

  /** (height, width) of every level, level 0 first. */
  get levelShapes(): readonly (readonly [number, number])[] {
    return this.#raster.levelShapes;
  }

  /**
   * Writes the level-0 chunk whose top-left pixel is (`y0`, `x0`). Uint32Array ids are widened
   * when the element stores uint64.
   */
  writeChunk(
    y0: number,
    x0: number,
    data: Uint32Array | BigUint64Array,
    h: number,
    w: number,
    options: { transfer?: boolean } = {},
  ): Promise<void> {
    return this.#raster.writeChunk(0, y0, x0, data, h, w, options);
  }

  /** Keys `cy/cx` of the level-0 chunks already on disk (non-empty when resuming). */
  writtenChunks(): Promise<Set<string>> {
    return this.#raster.writtenChunks();
  }

  /** Stores pre-encoded bytes of level-0 chunk (`cy`, `cx`) (chunk grid indices). */
  writeEncodedChunk(cy: number, cx: number, bytes: Uint8Array): Promise<void> {
    return this.#raster.writeEncodedChunk(0, 0, cy, cx, bytes);
  }

  /** Builds the downsampled levels from level 0 (also done by `finalize`). */
  buildPyramid(options: WriterRunOptions = {}): Promise<void> {
    return this.#raster.buildPyramid(options);
  }

  /** Builds the pyramid if needed, writes the metadata and publishes the element. */
  finalize(options: WriterRunOptions = {}): Promise<void> {
    return this.#raster.finalize(options);
  }
}
