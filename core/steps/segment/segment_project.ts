/**
 * The segmentation step driver. In order: resolve the channel roles and the tiling; compute the
 * global statistics the plugin declares in one streaming pre-pass (journalled, so a resume skips
 * it); segment tiles (core + halo) in the worker pool with a bounded number in flight, storing
 * each tile's owned cells as a claims file and journalling it; as soon as every tile around a
 * core is done, assemble that core's final ids and write its uint64 label chunks (journalled);
 * finally build the pyramids, write centres and `classes.csv`, and record counts in provenance.
 * A killed or failed run resumes with only the unfinished tiles and cores.
 * @module
 */
import * as path from "node:path";
import { ScportraitError } from "../../errors.ts";
import { writeFileAtomic } from "../../io/atomic_file.ts";
import type { LabelsWriter } from "../../io/spatialdata/element_writers.ts";
import { PluginPool } from "../../host/plugin_pool.ts";
import type { ChannelStats, TileRegion } from "../../host/segmentation_types.ts";
import type { Project } from "../../project/project.ts";
import type { StepRun } from "../../project/step_run.ts";
import { manifestRef } from "../../registry/manifest.ts";
import { Progress } from "../../ui/progress.ts";
import { readTile, resolveRolePlanes } from "./channel_roles.ts";
import { BufferShelf } from "../../host/buffer_shelf.ts";
import {
  addCentreSums,
  applyClaims,
  type CentreSums,
  CoreBuffers,
  writeCoreChunks,
} from "./core_assembly.ts";
import { computeGlobalStats, planStatistics } from "./global_stats_pass.ts";
import { pluginParams, type SegmentationPlugin } from "./segmentation_plugin.ts";
import {
  mergeCoreCentres,
  writeCentresCsv,
  writeCentresPoints,
  writeClassesCsv,
  writeCoreCentres,
} from "./segment_outputs.ts";
import { claimsFromResult, decodeClaims, encodeClaims } from "./tile_claims.ts";
import {
  intersect,
  neighbourhood,
  planTiles,
  type SegmentTile,
  tileGeometry,
} from "./tile_grid.ts";

/** Options of {@link segmentProject}. */
export interface SegmentProjectOptions {
  /** The plugin to run (see `resolveSegmentationPlugin`). */
  plugin: SegmentationPlugin;
  /** Core tile side in pixels (default: the config's `segmentation.tile_size`). */
  tileSize?: number;
  /** Worker count (default: config `segmentation.workers`, else one per core). */
  workers?: number;
  /** Start over, removing existing masks and any unfinished run. */
  overwrite?: boolean;
  /** No progress output. */
  quiet?: boolean;
  /** Progress as JSON lines. */
  json?: boolean;
  /** Receives warnings (they are also written to the step's log). Default: console.warn. */
  warn?: (message: string) => void;
}

/** What {@link segmentProject} did. */
export interface SegmentProjectResult {
  /** Cells per mask, e.g. `{nucleus: 1234, cytosol: 1230}`. */
  counts: Record<string, number>;
  /** Tiles of the grid. */
  tiles: number;
  /** Tiles segmented by this run (the others were done by an interrupted run). */
  computedTiles: number;
  /** Effective core tile side, halo and label chunk side. */
  geometry: { tileSize: number; halo: number; chunk: number };
  /** Owned cells that touched a tile's outer edge (the halo was too small for them). */
  truncated: number;
  /** Wall time in seconds. */
  seconds: number;
  /** Project-relative outputs. */
  outputs: string[];
}

/** Runs the segmentation step of `project` (its config's `segmentation` section). */
export async function segmentProject(
  project: Project,
  options: SegmentProjectOptions,
): Promise<SegmentProjectResult> {
  const started = performance.now();
  const config = (await project.loadConfig()).config.segmentation;
  if (config === undefined) {
    throw new ScportraitError(
      "CONFIG_INVALID",
      `${project.paths.config} has no segmentation section: add one (method, params, channels).`,
    );
  }
  const { manifest } = options.plugin;
  const params = pluginParams(manifest, config.params);
  const store = await project.openStore();
  const image = await store.openImage("input_image").catch((error) => {
    throw new ScportraitError(
      "INPUT_NOT_FOUND",
      `The project ${project.root} has no input image yet: run \`scportrait load\` first.`,
      { cause: error },
    );
  });
  const planes = resolveRolePlanes(manifest, {
    nucleus: config.nucleus_channels,
    cytosol: config.cytosol_channels,
  }, image);
  const statsPlans = planStatistics(manifest.statistics, planes);
  const halo = Math.max(manifest.halo, config.min_halo ?? 0);
  const geometry = tileGeometry(options.tileSize ?? config.tile_size, image.blockShape[0]);
  const grid = planTiles(image.height, image.width, geometry.tileSize, halo, geometry.chunk);
  const masks = manifest.outputs.masks!;
  const ref = manifestRef(manifest);
  const run = await project.beginStep("segmentation", {
    overwrite: options.overwrite,
    params: { plugin: ref, sha256: options.plugin.sha256, params, planes, ...geometry, halo },
    plugin: { id: manifest.id, version: manifest.version, sha256: options.plugin.sha256 },
    inputs: { input_image: `${image.channels}x${image.height}x${image.width}` },
  });
  const warn = options.warn ?? ((m: string) => console.warn(m));
  let pool: PluginPool | undefined;
  try {
    await run.log(
      `Segmenting ${image.height}×${image.width} with ${ref} (${options.plugin.source}): ` +
        `${grid.tiles.length} tiles of ${geometry.tileSize} px, halo ${halo} px, roles ` +
        planes.map((p) => `${p.role}=[${p.channels}]`).join(" "),
    );
    const writers: LabelsWriter[] = [];
    for (const mask of masks) {
      writers.push(
        await store.createLabels(`seg_all_${mask}`, {
          height: image.height,
          width: image.width,
          chunk: [geometry.chunk, geometry.chunk],
          resume: run.resumed,
          overwrite: !run.resumed,
        }),
      );
    }
    const tilesDir = path.join(run.dir, "tiles");
    await Deno.mkdir(tilesDir, { recursive: true });
    const claimFile = (t: SegmentTile) => path.join(tilesDir, `${t.key}.claims`);
    const centreFile = (t: SegmentTile) => path.join(tilesDir, `${t.key}.centres.f64`);
    const segmented = new Set<string>();
    const assembled = new Set<string>();
    let truncated = 0;
    for (const t of grid.tiles) {
      if (run.isDone(`core/${t.key}`)) assembled.add(t.key);
    }
    for (const t of grid.tiles) {
      const info = run.doneInfo(`tile/${t.key}`) as { truncated?: number } | undefined;
      if (info === undefined) continue;
      const needed = neighbourhood(grid, t).some((n) => !assembled.has(n.key));
      if (!needed || await exists(claimFile(t))) {
        segmented.add(t.key);
        truncated += info.truncated ?? 0;
      }
    }

    // Assembly: one core at a time, in the order cores become ready.
    let failure: unknown;
    let chain = Promise.resolve();
    const queued = new Set<string>();
    // cores are assembled one at a time, so one set of buffers serves them all
    const buffers = new CoreBuffers(masks.length, image.height * image.width);
    const assemble = async (t: SegmentTile) => {
      const out = buffers.planes(t.core);
      for (const n of neighbourhood(grid, t)) {
        const file = claimFile(n);
        const into = buffers.claimPlanes(t.core);
        const claims = decodeClaims(await readOrFail(file), file, t.core, into);
        if (claims !== null) applyClaims(out, t.core, claims);
      }
      const sums: CentreSums[] = masks.map(() => new Map());
      for (let m = 0; m < masks.length; m++) {
        addCentreSums(out[m], t.core, sums[m]);
        await writeCoreChunks(writers[m], t.core, out[m], buffers);
      }
      await writeCoreCentres(centreFile(t), masks, sums);
      await run.markDone(`core/${t.key}`);
      assembled.add(t.key);
    };
    const maybeAssemble = (around: SegmentTile) => {
      for (const t of neighbourhood(grid, around)) {
        if (assembled.has(t.key) || queued.has(t.key)) continue;
        if (!neighbourhood(grid, t).every((n) => segmented.has(n.key))) continue;
        queued.add(t.key);
        chain = chain.then(() => failure === undefined ? assemble(t) : undefined).catch((e) => {
          failure ??= e;
        });
      }
    };
    for (const t of grid.tiles) if (segmented.has(t.key)) maybeAssemble(t);

    const todo = grid.tiles.filter((t) =>
      !segmented.has(t.key) && neighbourhood(grid, t).some((n) => !assembled.has(n.key))
    );
    const workers = options.workers ?? config.workers ?? navigator.hardwareConcurrency ?? 1;
    // the plugin workers start while the statistics pass runs (it needs no plugin)
    const starting = todo.length > 0
      ? PluginPool.create({
        component: options.plugin.component,
        world: "segmentation",
        name: ref,
        limits: { memoryMib: manifest.limits.memory_mib, timeoutS: manifest.limits.timeout_s },
        workers: Math.max(1, Math.min(workers, todo.length)),
        glueCacheDir: options.plugin.cacheDir,
      })
      : undefined;
    starting?.catch(() => {}); // a failure surfaces at the await below, not as unhandled
    let stats = run.doneInfo("stats") as ChannelStats[] | undefined;
    if (stats === undefined) {
      try {
        stats = await computeGlobalStats(image, planes, statsPlans, {
          progress: { quiet: options.quiet, json: options.json },
        });
      } catch (error) {
        pool = await starting?.catch(() => undefined);
        throw error;
      }
      await run.markDone("stats", stats);
    }
    pool = await starting;
    const paramText = JSON.stringify(params);
    const megapixels = (t: SegmentTile) => t.core.height * t.core.width / 1e6;
    const progress = new Progress(`segment ${todo.length}/${grid.tiles.length} tiles`, {
      total: Math.round(todo.reduce((s, t) => s + megapixels(t), 0) * 100) / 100,
      unit: "MP",
      quiet: options.quiet,
      json: options.json,
    });
    // tile buffers the workers handed back, filled again instead of fresh memory, and label
    // buffers of encoded claims, lent to the workers for the next results that fit in them
    // (at most pool size + 1 tiles are in flight)
    const inFlight = (pool?.size ?? 1) + 1;
    const spareTiles = new BufferShelf(inFlight);
    const spareLabels = new BufferShelf(inFlight * masks.length);
    const segmentOne = async (t: SegmentTile) => {
      const pixels = t.outer.height * t.outer.width;
      const tile = await readTile(
        image,
        planes,
        t.outer,
        spareTiles.take(planes.length * pixels * 2),
      );
      const region: TileRegion = {
        originY: t.outer.y,
        originX: t.outer.x,
        imageHeight: image.height,
        imageWidth: image.width,
        coreY: t.core.y - t.outer.y,
        coreX: t.core.x - t.outer.x,
        coreHeight: t.core.height,
        coreWidth: t.core.width,
      };
      const result = await pool!.segment(tile, region, stats!, paramText, {
        recycle: (buffer) => spareTiles.put(buffer),
        spares: masks.map(() => spareLabels.take(pixels * 4)).filter((b) => b !== undefined),
      });
      const claims = claimsFromResult(result, t, masks, image);
      const parts = neighbourhood(grid, t).map((n) => intersect(t.outer, n.core));
      const encoded = encodeClaims(claims, parts.filter((w) => w !== null));
      for (const plane of claims.labels) {
        if (plane.byteOffset === 0) spareLabels.put(plane.buffer as ArrayBuffer);
      }
      await writeFileAtomic(claimFile(t), encoded);
      await run.markDone(`tile/${t.key}`, { cells: claims.owned, truncated: claims.truncated });
      truncated += claims.truncated;
      segmented.add(t.key);
      progress.advance(megapixels(t));
      maybeAssemble(t);
    };
    const inflight = new Set<Promise<void>>();
    for (const t of todo) {
      if (failure !== undefined) break;
      while (inflight.size > pool!.size) await Promise.race(inflight);
      if (failure !== undefined) break;
      const p: Promise<void> = segmentOne(t).catch((e) => {
        failure ??= e;
      }).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
    spareTiles.clear();
    spareLabels.clear();
    await chain;
    if (failure !== undefined) throw failure;
    progress.finish();
    pool?.close();
    if (truncated > 0) {
      const message = `${truncated} cell(s) touched the outer edge of their tile: they may be ` +
        `cut. Increase segmentation.min_halo above ${halo} px (larger than the largest cell radius).`;
      await run.log(`WARNING: ${message}`);
      warn(message);
    }
    for (const w of writers) await w.finalize({ progress: !options.quiet && !options.json });
    const centres = await mergeCoreCentres(grid.tiles.map(centreFile), masks);
    const outputs: string[] = masks.map((m) => `scportrait.sdata/labels/seg_all_${m}`);
    const counts: Record<string, number> = {};
    for (let m = 0; m < masks.length; m++) {
      counts[masks[m]] = centres[m].ids.length;
      outputs.push(relative(project, await writeCentresCsv(run.dir, masks[m], centres[m])));
      outputs.push(await writeCentresPoints(store, masks[m], centres[m]));
    }
    outputs.push(relative(project, await writeClassesCsv(run.dir, centres[0].ids)));
    if (Object.values(counts).every((n) => n === 0)) {
      warn("The segmentation found no cells; the masks are all zero.");
    }
    await Deno.remove(tilesDir, { recursive: true });
    await run.finish({ counts, outputs });
    return {
      counts,
      tiles: grid.tiles.length,
      computedTiles: todo.length,
      geometry: { ...geometry, halo },
      truncated,
      seconds: (performance.now() - started) / 1000,
      outputs,
    };
  } catch (error) {
    pool?.close();
    await failRun(run, error);
    throw error;
  }
}

async function failRun(run: StepRun, error: unknown): Promise<void> {
  try {
    await run.fail(error);
  } catch {
    // the run already ended (finish failed part-way); the original error is what matters
  }
}

function relative(project: Project, file: string): string {
  return path.relative(project.root, file).split(path.sep).join("/");
}

async function exists(file: string): Promise<boolean> {
  try {
    await Deno.lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function readOrFail(file: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(file);
  } catch (error) {
    throw new ScportraitError(
      "PROJECT_INVALID",
      `The tile result ${file} is missing: rerun the segmentation with --overwrite.`,
      { cause: error },
    );
  }
}
