/**
 * The load step as a project step: opens the input (TIFF files or OME-Zarr), records the run in
 * the project (lock, journal, provenance), and streams the pixels into the store.
 * @module
 */
import { openTiffSource } from "../../io/tiff/open_tiff_source.ts";
import { openOmeZarrSource } from "../../io/ome_zarr/open_ome_zarr_source.ts";
import type { ImageSource } from "../../io/image_source.ts";
import type { Project } from "../../project/project.ts";
import { loadInputImage, type LoadInputResult } from "./load_input.ts";

/** What to load and how (see `scportrait load --help`). */
export interface LoadProjectInputOptions {
  /** TIFF files, channels in order. */
  tif?: readonly string[];
  /** OME-Zarr path or URL. */
  omeZarr?: string;
  /** Channel names; default: the config's `input.channels`, then the file's names. */
  channelNames?: readonly string[];
  /** Factor for uint8 TIFF samples (default 255 as scPortrait). */
  uint8Scale?: 1 | 255 | 257;
  /** Replace an existing input image. */
  overwrite?: boolean;
  /** Progress output. */
  progress?: { quiet?: boolean; json?: boolean };
}

/** A load's result plus the warnings of the input reader. */
export interface LoadProjectInputResult extends LoadInputResult {
  /** Conversion and metadata warnings. */
  warnings: string[];
}

/** Loads the input image into `project`'s store as `images/input_image`. */
export async function loadInput(
  project: Project,
  options: LoadProjectInputOptions,
): Promise<LoadProjectInputResult> {
  const config = (await project.loadConfig()).config;
  const channelNames = options.channelNames ?? config.input?.channels;
  const inputs: Record<string, string> = options.tif
    ? { tif: options.tif.join(",") }
    : { ome_zarr: options.omeZarr! };
  const params = { channelNames: channelNames ?? null, uint8Scale: options.uint8Scale ?? 255 };
  const run = await project.beginStep("load", {
    overwrite: options.overwrite,
    inputs,
    params,
  });
  let source: ImageSource | undefined;
  try {
    source = options.tif
      ? await openTiffSource(options.tif, { channelNames, uint8Scale: options.uint8Scale })
      : await openOmeZarrSource(options.omeZarr!);
    const store = await project.openStore();
    const result = await loadInputImage(source, store, {
      channelNames,
      overwrite: options.overwrite,
      progress: options.progress,
    });
    await run.log(
      `loaded ${source.description}: ${result.shape.join("×")} ${result.channelNames.join(",")}` +
        ` (${result.chunksWritten} chunks written, ${result.chunksResumed} resumed)`,
    );
    await run.finish({ outputs: ["scportrait.sdata/images/input_image"] });
    const warnings = "warnings" in source ? [...(source.warnings as string[])] : [];
    return { ...result, warnings };
  } catch (error) {
    await run.fail(error);
    throw error;
  } finally {
    await source?.close();
  }
}
