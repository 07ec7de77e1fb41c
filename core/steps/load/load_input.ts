/**
 * The `load` step: streams an `ImageSource` (TIFF, OME-Zarr, …) chunk by chunk into the project's
 * SpatialData store as `images/input_image` (c, y, x uint16, NGFF 0.4 multiscale). Memory is
 * bounded by `concurrency` bands of one chunk row each, whatever the image size. Every level-0 chunk
 * is written atomically, so a killed load resumes: a rerun keeps the chunks already on disk.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { ImageSource } from "../../io/image_source.ts";
import type { SpatialDataStore } from "../../io/spatialdata/spatialdata_store.ts";
import { SCPORTRAIT_NAMES } from "../../io/spatialdata/store_layout.ts";
import { Progress } from "../../ui/progress.ts";
import type { ChunkCompressor } from "../../io/zarr/chunk_compressor.ts";
import { ChunkJobPool } from "../../io/spatialdata/chunk_job_pool.ts";
import { planBands, type ReadBand } from "./read_bands.ts";

/** Below this many level-0 chunks the load encodes on the calling thread by default. */
const MIN_CHUNKS_FOR_WORKERS = 64;

/** Options of {@link loadInputImage}. */
export interface LoadInputOptions {
  /** Channel names; default the source's names. */
  channelNames?: readonly string[];
  /** Replace an existing input image. */
  overwrite?: boolean;
  /** Chunk edge in pixels (default 1024). */
  chunkSize?: number;
  /** Bands read and encoded at the same time (default 4). */
  concurrency?: number;
  /** Progress output: false silences it; `json` prints JSON lines. */
  progress?: { quiet?: boolean; json?: boolean };
  /** Aborts between chunks. */
  signal?: AbortSignal;
  /** Chunk compressor of the new element (default zstd level 1). */
  compressor?: ChunkCompressor;
  /**
   * Encoder Workers; 0 encodes on the calling thread. Default: the number of cores for images of
   * more than 64 level-0 chunks (below that, starting the workers costs more than they save).
   */
  encoderWorkers?: number;
  /**
   * Build the pyramid while level 0 streams in (default true); false re-reads level 0 after it is
   * written (what a resumed load does anyway).
   */
  streamPyramid?: boolean;
}

/** What a load did. */
export interface LoadInputResult {
  /** (channels, height, width) written. */
  shape: [number, number, number];
  /** Channel names stored. */
  channelNames: string[];
  /** Level-0 chunks written by this run. */
  chunksWritten: number;
  /** Level-0 chunks found already written by an earlier, interrupted run. */
  chunksResumed: number;
  /** Uncompressed level-0 bytes. */
  bytes: number;
  /** Wall time in seconds. */
  seconds: number;
}

/** Writes `source` into `store` as `images/input_image`, resuming an interrupted earlier load. */
export async function loadInputImage(
  source: ImageSource,
  store: SpatialDataStore,
  options: LoadInputOptions = {},
): Promise<LoadInputResult> {
  const start = performance.now();
  const channelNames = [...(options.channelNames ?? source.channelNames)];
  if (channelNames.length !== source.channels) {
    throw new ScportraitError(
      "USAGE",
      `${channelNames.length} channel names (${channelNames.join(", ")}) given for ` +
        `${source.channels} channels in ${source.description}: give one name per channel.`,
    );
  }
  const chunk = options.chunkSize ?? 1024;
  const chunks = source.channels * Math.ceil(source.height / chunk) *
    Math.ceil(source.width / chunk);
  const workers = options.encoderWorkers ??
    (chunks > MIN_CHUNKS_FOR_WORKERS ? navigator.hardwareConcurrency || 2 : 0);
  // Workers may write chunk files of this store only (and read nothing else).
  const pool = workers > 0 && !store.readOnly
    ? new ChunkJobPool({ workers, writeRoot: store.location })
    : undefined;
  try {
    return await load(source, store, options, channelNames, chunk, pool, start);
  } finally {
    pool?.close();
  }
}

async function load(
  source: ImageSource,
  store: SpatialDataStore,
  options: LoadInputOptions,
  channelNames: string[],
  chunk: number,
  pool: ChunkJobPool | undefined,
  start: number,
): Promise<LoadInputResult> {
  const writer = await store.createImage(SCPORTRAIT_NAMES.inputImage, {
    channels: source.channels,
    height: source.height,
    width: source.width,
    channelNames,
    chunk: [1, chunk, chunk],
    overwrite: options.overwrite ?? false,
    resume: true,
    compressor: options.compressor,
    pool,
    streamPyramid: options.streamPyramid,
  });
  const bands = planBands(source, chunk);
  const done = await writer.writtenChunks();
  const pending: ReadBand[] = [];
  let resumed = 0;
  for (const band of bands) {
    const todo = band.chunks.filter((c) =>
      !done.has(`${band.channel}/${c.y0 / chunk}/${c.x0 / chunk}`)
    );
    resumed += band.chunks.length - todo.length;
    if (todo.length > 0) pending.push({ ...band, chunks: todo });
  }
  const totalChunks = pending.reduce((n, b) => n + b.chunks.length, 0);
  const progress = new Progress("load input_image", {
    total: totalChunks,
    unit: "chunks",
    quiet: options.progress?.quiet,
    json: options.progress?.json,
  });
  let written = 0;
  let next = 0;
  // band buffers come back from the encoder workers and are read into again: fresh memory costs
  // a page fault per 4 KiB here, more than reading the pixels
  const spare: Uint16Array[] = [];
  const worker = async () => {
    while (next < pending.length) {
      options.signal?.throwIfAborted();
      const band = pending[next++];
      const size = band.window.height * band.window.width;
      const at = spare.findIndex((b) => b.length === size);
      const into = at < 0 ? undefined : spare.splice(at, 1)[0];
      const pixels = await source.readWindow(band.channel, band.window, {
        signal: options.signal,
        into,
      });
      const whole = band.chunks.length * chunk >= band.window.width;
      if (whole) {
        // the usual case: the band's chunks are cut, encoded and stored in one Worker job
        const { y, x, height, width } = band.window;
        const back = await writer.writeBand(band.channel, y, x, pixels, height, width, {
          transfer: true,
        });
        if (back !== undefined && spare.length < 4) spare.push(back);
        written += band.chunks.length;
        progress.advance(band.chunks.length);
        continue;
      }
      await Promise.all(band.chunks.map(async (c) => {
        const data = cutChunk(
          pixels,
          band.window.width,
          c.y0 - band.window.y,
          c.x0 - band.window.x,
          c.h,
          c.w,
        );
        await writer.writeChunk(band.channel, c.y0, c.x0, data, c.h, c.w, { transfer: true });
        written++;
        progress.advance();
      }));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  progress.finish();
  await writer.finalize({ progress: !options.progress?.quiet });
  return {
    shape: [source.channels, source.height, source.width],
    channelNames,
    chunksWritten: written,
    chunksResumed: resumed,
    bytes: source.channels * source.height * source.width * 2,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Copies the `h × w` block at (`y`, `x`) out of a row-major band `bandWidth` wide. */
function cutChunk(
  band: Uint16Array,
  bandWidth: number,
  y: number,
  x: number,
  h: number,
  w: number,
) {
  if (x === 0 && w === bandWidth) return band.subarray(y * bandWidth, (y + h) * bandWidth);
  const out = new Uint16Array(h * w);
  for (let row = 0; row < h; row++) {
    const from = (y + row) * bandWidth + x;
    out.set(band.subarray(from, from + w), row * w);
  }
  return out;
}
