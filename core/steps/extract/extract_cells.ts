/**
 * The extraction step (scPortrait `HDF5CellExtraction`, spec §4.1): selects cells (rounded nucleus
 * centres, partial sampling, border rule → `removed_classes.csv`), streams the image and masks tile
 * by tile (tile + half-window halo), computes the per-cell stacks in a pool of Workers, and one
 * writer stores them in `<outputDir>/<folder>/single_cells.h5sc`. Writes `benchmarking.csv`.
 * @module
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ScportraitError } from "../../errors.ts";
import type { H5scCompression } from "../../io/h5sc/h5sc_types.ts";
import type { ChunkBlock } from "../../io/h5sc/direct_chunk_file.ts";
import { H5scWriter } from "../../io/h5sc/h5sc_writer.ts";
import { Progress, type ProgressOptions } from "../../ui/progress.ts";
import type { ExtractionSource } from "./extraction_source.ts";
import { selectCells } from "./select_cells.ts";
import { planTiles, type TileJob } from "./tile_plan.ts";
import { TilePool } from "./tile_pool.ts";
import type { TileTask } from "./tile_compute.ts";
import { writeBenchmarkingCsv } from "./benchmarking_csv.ts";

/**
 * Where an extraction records what is durably written so a rerun continues (a project's step
 * run, `StepRun`, is one): the `.partial` file's skeleton and every appended tile.
 */
export interface ExtractJournal {
  /** Info recorded with `key` by this or an interrupted earlier attempt, if any. */
  doneInfo(key: string): unknown;
  /** Records `key` as durably written, with `info`. */
  markDone(key: string, info?: unknown): Promise<void>;
}

/** Journal record of the `.partial` file (key `h5sc`). */
interface PartialRecord {
  /** Random id of this `.partial` file; tile records carry it. */
  file: string;
  /** sha-256 of the cell ids (rows) the file was laid out for. */
  ids: string;
  /** Bytes of the HDF5 skeleton. */
  header: number;
}

/** Extraction settings (scPortrait config keys in brackets). */
export interface ExtractOptions {
  /** The step folder, `<project>/extraction`. */
  extractionDir: string;
  /** Output side S [`image_size`]; must be even. */
  imageSize: number;
  /** Percentile normalisation [`normalize_output`], default true. */
  normalization?: boolean;
  /** Quantiles [`normalization_range`], default (0.001, 0.999). */
  normalizationRange?: readonly [number, number];
  /** Chunk compression [`compression`], default `lzf`. */
  compression?: H5scCompression;
  /** Worker count [`threads`], default the number of CPUs. */
  threads?: number;
  /** Output folder name [`output_folder_name`], default `data`. */
  folderName?: string;
  /** Replace an existing output folder [`overwrite_run_path`]. */
  overwrite?: boolean;
  /**
   * Write into this folder as is (created when missing; an old `.h5sc` in it is replaced) instead
   * of `<extractionDir>/<folderName>`: for callers that manage the run folder (a project step).
   */
  outputFolder?: string;
  /** Partial extraction: number of cells sampled before the border filter. */
  nCells?: number;
  /** Seed of the partial sampling (default 42). */
  seed?: number;
  /** Tile side in pixels for streaming (default 1024). */
  tileSize?: number;
  /** Progress display. */
  progress?: ProgressOptions;
  /** Resume journal: a rerun after a kill continues from the last journalled tile. */
  journal?: ExtractJournal;
}

/** What an extraction produced. */
export interface ExtractResult {
  /** The `.h5sc` path, or undefined when no cell was left. */
  path?: string;
  /** Output folder. */
  folder: string;
  /** Cells written. */
  nCells: number;
  /** Ids removed by the border rule. */
  removedIds: BigUint64Array;
  /** Total seconds. */
  seconds: number;
  /** Extracted cells per second (extraction phase). */
  cellsPerSecond: number;
}

/** Runs the extraction of `source` into `options.extractionDir`. */
export async function extractCells(
  source: ExtractionSource,
  options: ExtractOptions,
): Promise<ExtractResult> {
  const t0 = performance.now();
  const S = options.imageSize;
  if (!Number.isInteger(S) || S <= 0 || S % 2 !== 0) {
    throw new ScportraitError(
      "CONFIG_INVALID",
      `extraction.image_size must be a positive even integer (windows are [c-S/2, c+S/2)), got ${S}`,
    );
  }
  if (source.maskNames.length < 1 || source.maskNames.length > 2) {
    throw new ScportraitError(
      "INPUT_INVALID",
      `extraction needs 1 or 2 masks (nucleus, cytosol), got ${source.maskNames.join(", ")}`,
    );
  }
  const partial = options.nCells !== undefined
    ? { nCells: options.nCells, seed: options.seed ?? 42 }
    : undefined;
  const base = options.folderName ?? "data";
  const folder = options.outputFolder ?? join(
    options.extractionDir,
    partial ? `partial_${base}_ncells_${partial.nCells}_seed_${partial.seed}` : base,
  );
  if (!options.outputFolder && existsSync(folder)) {
    if (!options.overwrite) {
      throw new ScportraitError(
        "ELEMENT_EXISTS",
        `${folder} already exists; pass overwrite (overwrite_run_path) to replace it`,
      );
    }
    rmSync(folder, { recursive: true, force: true });
  }
  mkdirSync(folder, { recursive: true });

  const centers = await source.centers();
  const unique = new Set(centers.ids);
  if (unique.size !== centers.ids.length) {
    throw new ScportraitError("INPUT_INVALID", "cell ids in the centres are not unique");
  }
  const sel = selectCells(centers, source.width, source.height, S, partial);
  await Deno.writeTextFile(
    join(folder, "removed_classes.csv"),
    Array.from(sel.removed, (id) => `${id}\n`).join(""),
  );
  const normalization = options.normalization ?? true;
  const range = options.normalizationRange ?? [0.001, 0.999];
  const result = { folder, removedIds: sel.removed };
  if (sel.ids.length === 0) {
    return { ...result, nCells: 0, seconds: (performance.now() - t0) / 1000, cellsPerSecond: 0 };
  }
  const path = join(folder, "single_cells.h5sc");
  const compression = options.compression ?? "lzf";
  const layout = {
    cellIds: sel.ids,
    maskNames: source.maskNames,
    channelNames: source.channelNames,
    imageSize: S,
    normalization,
    normalizationRange: range,
    compression,
  };
  const jobs = planTiles(sel, S, options.tileSize ?? 1024);
  const journal = options.journal;
  const ids = await sha256Hex(sel.ids);
  const done = new Set<number>();
  let writer: H5scWriter | undefined;
  let record = journal?.doneInfo("h5sc") as PartialRecord | undefined;
  if (record && record.ids === ids) {
    const blocks: ChunkBlock[] = [];
    jobs.forEach((job, i) => {
      const info = journal!.doneInfo(`tile/${i}`) as (ChunkBlock & { file: string }) | undefined;
      if (info?.file === record!.file && sameRows(info.rows, job.rows)) {
        blocks.push(info);
        done.add(i);
      }
    });
    writer = await H5scWriter.resume(path, layout, record.header, blocks);
  }
  if (!writer) {
    done.clear();
    writer = await H5scWriter.create(path, layout, {
      overwrite: options.outputFolder !== undefined,
    });
    record = { file: crypto.randomUUID(), ids, header: writer.appendOffset };
    await journal?.markDone("h5sc", record);
  }
  const fileId = record!.file;
  const threads = Math.max(1, options.threads ?? navigator.hardwareConcurrency);
  const pool = new TilePool(threads);
  const progress = new Progress("extraction", {
    total: sel.ids.length,
    unit: "cells",
    ...options.progress,
  });
  const tSetup = performance.now();
  const out = writer;
  // tile and output buffers come back from the workers and are filled again: fresh memory costs a
  // page fault per 4 KiB, more than computing the cells in it
  const freeTiles: TileBuffers[] = [];
  // every tile buffer holds the largest tile, so any spent one fits the next tile
  const area = jobs.reduce((m, j) => Math.max(m, j.window.width * j.window.height), 1);
  const newTile = (): TileBuffers => ({
    labels: source.maskNames.map(() =>
      source.readLabels32 ? new Uint32Array(area) : new BigUint64Array(area)
    ),
    image: source.channelNames.map(() => new Uint16Array(area)),
  });
  const freeOut: ArrayBuffer[] = [];
  try {
    const inflight = new Set<Promise<void>>();
    for (const [i, job] of jobs.entries()) {
      if (done.has(i)) {
        progress.advance(job.rows.length);
        continue;
      }
      const task: TileTask = {
        ...await readTile(source, job, sel, S, freeTiles.pop() ?? newTile()),
        size: S,
        options: { normalization, range },
        compression,
        outBuffer: freeOut.pop(),
      };
      const p = pool.run(task).then(async ({ chunks, labels, image }) => {
        freeTiles.push({
          labels: labels.map((a) =>
            a instanceof Uint32Array ? new Uint32Array(a.buffer) : new BigUint64Array(a.buffer)
          ),
          image: image.map((a) => new Uint16Array(a.buffer)),
        });
        const block = out.writeEncoded(job.rows, chunks);
        freeOut.push(chunks.data.buffer as ArrayBuffer);
        if (journal && block) {
          out.sync(); // the bytes are on disk before the journal says so
          await journal.markDone(`tile/${i}`, { file: fileId, ...block });
        }
        progress.advance(job.rows.length);
      });
      inflight.add(p);
      p.finally(() => inflight.delete(p)).catch(() => {});
      // the workers' tiles plus one read ahead
      if (inflight.size > pool.size) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    out.finish();
  } catch (error) {
    // with a journal the partial file is what the next run resumes from; keep it
    if (journal) out.close();
    else out.abort();
    throw error;
  } finally {
    pool.close();
    progress.finish();
  }
  const tEnd = performance.now();
  const extractionSeconds = (tEnd - tSetup) / 1000;
  const cellsPerSecond = sel.ids.length / extractionSeconds;
  await writeBenchmarkingCsv(join(options.extractionDir, "benchmarking.csv"), {
    imageShape: [source.channelNames.length, source.width, source.height],
    nClasses: sel.ids.length,
    nMasks: source.maskNames.length,
    imageSize: S,
    threads,
    batchSize: 0,
    totalSeconds: (tEnd - t0) / 1000,
    setupSeconds: (tSetup - t0) / 1000,
    extractionSeconds,
    rate: cellsPerSecond,
  });
  return {
    ...result,
    path,
    nCells: sel.ids.length,
    seconds: (tEnd - t0) / 1000,
    cellsPerSecond,
  };
}

/** Spent tile buffers to read the next tile into. */
interface TileBuffers {
  labels: (BigUint64Array | Uint32Array)[];
  image: Uint16Array[];
}

async function readTile(
  source: ExtractionSource,
  job: TileJob,
  sel: ReturnType<typeof selectCells>,
  S: number,
  free: TileBuffers,
): Promise<Pick<TileTask, "labels" | "image" | "tileWidth" | "ids" | "wy" | "wx">> {
  // uint32 ids when the source offers them and they fit (half the memory), else uint64
  const labels = await Promise.all(source.maskNames.map(async (_, k) => {
    const into = free.labels[k];
    const narrow = await source.readLabels32?.(
      k,
      job.window,
      into instanceof Uint32Array ? into : undefined,
    );
    return narrow ??
      await source.readLabels(k, job.window, into instanceof BigUint64Array ? into : undefined);
  }));
  const image = await Promise.all(
    source.channelNames.map((_, c) => source.readImage(c, job.window, free.image[c])),
  );
  const half = S / 2;
  return {
    labels,
    image,
    tileWidth: job.window.width,
    ids: BigUint64Array.from(job.rows, (r) => sel.ids[r]),
    wy: Int32Array.from(job.rows, (r) => sel.y[r] - half - job.window.y),
    wx: Int32Array.from(job.rows, (r) => sel.x[r] - half - job.window.x),
  };
}

function sameRows(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function sha256Hex(ids: BigUint64Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new Uint8Array(ids.slice().buffer),
  );
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
