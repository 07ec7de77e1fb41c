/**
 * The level-by-level pyramid build: reads the previous level back from the store chunk by chunk
 * and writes each downsampled chunk. Used when the levels could not be built while level 0
 * streamed in (a resumed element, chunks written pre-encoded, or levels whose cumulative factor
 * does not divide the chunk size).
 * @module
 */
import * as zarr from "zarrita";
import { Progress } from "../../ui/progress.ts";
import type { AtomicFileSystemStore } from "../zarr/atomic_fs_store.ts";
import { registerZarrCodecs } from "../zarr/register_codecs.ts";
import type { WritableDtype } from "../zarr/v2_array.ts";
import {
  buildPyramidChunk,
  type Downsampling,
  type PyramidIo,
  type RasterArray,
} from "./pyramid.ts";
import type { RasterSpec, WriterRunOptions } from "./raster_writer.ts";
import type { LevelChunk } from "./streaming_pyramid.ts";

/** What {@link buildPyramidLevels} works on. */
export interface PyramidPassInput {
  /** The store holding the element. */
  store: AtomicFileSystemStore;
  /** Key of the element's group (levels are `<groupKey>/<level>`). */
  groupKey: string;
  /** The element's definition. */
  spec: RasterSpec;
  /** (height, width) of every level. */
  levelShapes: readonly (readonly [number, number])[];
  /** First level to build (≥ 1); the levels before it must be complete. */
  fromLevel: number;
  /** Encodes and stores one finished chunk of a level. */
  writeLevelChunk(chunk: LevelChunk): Promise<void>;
}

/** Builds levels `fromLevel`… of an element from the level before each, chunk by chunk. */
export async function buildPyramidLevels(
  input: PyramidPassInput,
  options: WriterRunOptions = {},
): Promise<void> {
  registerZarrCodecs();
  const { spec, levelShapes } = input;
  const [ch, cw] = spec.chunk;
  const grid = (level: number) => [
    Math.ceil(levelShapes[level][0] / ch),
    Math.ceil(levelShapes[level][1] / cw),
  ];
  let total = 0;
  for (let level = input.fromLevel; level < levelShapes.length; level++) {
    const [gy, gx] = grid(level);
    total += gy * gx * spec.channels;
  }
  const progress = new Progress(`pyramid ${spec.name}`, {
    total,
    unit: "chunks",
    quiet: options.progress === false,
  });
  const mode: Downsampling = spec.kind === "image" ? "mean" : "nearest";
  const root = zarr.root(input.store);
  const image = spec.kind === "image";
  for (let level = input.fromLevel; level < levelShapes.length; level++) {
    const previous = await zarr.open.v2(root.resolve(`${input.groupKey}/${level - 1}`), {
      kind: "array",
      attrs: false,
    });
    const jobs: [number, number, number][] = [];
    const [gy, gx] = grid(level);
    for (let channel = 0; channel < spec.channels; channel++) {
      for (let cy = 0; cy < gy; cy++) for (let cx = 0; cx < gx; cx++) jobs.push([channel, cy, cx]);
    }
    const step = {
      level,
      inShape: levelShapes[level - 1],
      outShape: levelShapes[level],
      chunk: spec.chunk,
      factor: spec.scaleFactors[level - 1],
      mode,
    };
    await runPool(jobs, options.concurrency ?? 4, async ([channel, cy, cx]) => {
      const io: PyramidIo = {
        readChunk: async (_level, y, x) =>
          (await previous.getChunk(image ? [channel, y, x] : [y, x])).data as RasterArray,
        writeChunk: (lvl, y, x, data, h, w) =>
          input.writeLevelChunk({ level: lvl, channel, cy: y, cx: x, data, h, w }),
      };
      await buildPyramidChunk(io, step, cy, cx, (n) => allocate(spec.dtype, n));
      progress.advance();
    });
  }
  progress.finish();
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

async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}
