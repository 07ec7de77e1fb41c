/**
 * The extraction step of a project: reads the `extraction:` config section (our shape, defaults
 * filled in), opens the project's store as an {@link ProjectExtractionSource}, and runs
 * {@link extractCells} inside a step run (run lock, provenance). A partial run (`nCells`, `seed`)
 * writes `extraction/partial_data_ncells_<n>_seed_<s>/` like scPortrait. Every appended tile is
 * journalled (`run.markDone`), so a rerun after a kill continues where the killed run stopped.
 * @module
 */
import { relative } from "node:path";
import { PIPELINE_DEFAULTS } from "../../config/defaults.ts";
import type { ExtractionConfig } from "../../config/pipeline_config.ts";
import type { Project } from "../../project/project.ts";
import { extractCells, type ExtractResult } from "./extract_cells.ts";
import { ProjectExtractionSource } from "./project_source.ts";

/** Options of {@link extractProject} (CLI flags override the config). */
export interface ExtractProjectOptions {
  /** Replace existing results. */
  overwrite?: boolean;
  /** Partial extraction: cells sampled before the border filter. */
  nCells?: number;
  /** Seed of the partial sampling (default 42). */
  seed?: number;
  /** Worker count (default: `extraction.workers`, else one per core). */
  threads?: number;
  /** Tile side in pixels for streaming (default 1024); part of the resume parameters. */
  tileSize?: number;
  /** No progress output. */
  quiet?: boolean;
  /** Progress as JSON lines. */
  json?: boolean;
}

/** What {@link extractProject} did. */
export interface ExtractProjectResult extends ExtractResult {
  /** Project-relative outputs. */
  outputs: string[];
}

/** Runs the extraction step of `project`. */
export async function extractProject(
  project: Project,
  options: ExtractProjectOptions = {},
): Promise<ExtractProjectResult> {
  const loaded = (await project.loadConfig()).config.extraction;
  const config = { ...PIPELINE_DEFAULTS.extraction, ...loaded } as ExtractionConfig;
  const store = await project.openStore();
  const source = await ProjectExtractionSource.open(
    store,
    project.paths.segmentation,
    config.segmentation_mask,
  );
  const seed = options.seed ?? 42;
  const name = options.nCells !== undefined
    ? `partial_data_ncells_${options.nCells}_seed_${seed}`
    : undefined;
  const params = {
    image_size: config.image_size,
    normalize_output: config.normalize_output,
    normalization_range: config.normalization_range,
    compression: config.compression,
    masks: source.maskNames,
    n_cells: options.nCells ?? null,
    seed: options.nCells !== undefined ? seed : null,
    tile_size: options.tileSize ?? 1024,
  };
  let run;
  try {
    run = await project.beginStep("extraction", {
      overwrite: options.overwrite,
      name,
      params,
      inputs: {
        input_image: `${source.channelNames.length}x${source.height}x${source.width}`,
        masks: source.maskNames.join(","),
      },
    });
  } catch (error) {
    await source.close();
    throw error;
  }
  try {
    await run.log(
      `Extracting ${source.maskNames.join(" + ")} + ${source.channelNames.length} channels at ` +
        `${config.image_size}×${config.image_size}`,
    );
    const result = await extractCells(source, {
      extractionDir: project.paths.extraction,
      outputFolder: name === undefined ? project.paths.extractionData : run.dir,
      imageSize: config.image_size,
      normalization: config.normalize_output,
      normalizationRange: config.normalization_range,
      compression: config.compression,
      threads: options.threads ?? config.workers,
      nCells: options.nCells,
      seed,
      tileSize: params.tile_size,
      journal: run,
      progress: { quiet: options.quiet, json: options.json },
    });
    const outputs = [result.folder, ...(result.path ? [result.path] : [])]
      .map((p) => relative(project.root, p));
    await run.log(
      `Extracted ${result.nCells} cells (${result.removedIds.length} removed at the border) in ` +
        `${result.seconds.toFixed(1)} s (${Math.round(result.cellsPerSecond)} cells / second)`,
    );
    await run.finish({
      counts: { cells: result.nCells, removed: result.removedIds.length },
      outputs,
    });
    return { ...result, outputs };
  } catch (error) {
    await run.fail(error).catch(() => {});
    throw error;
  } finally {
    await source.close();
  }
}
