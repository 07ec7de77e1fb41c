/**
 * The results of a step that make a rerun an overwrite: scPortrait refuses to replace them
 * unless `overwrite` is set (spec §1.2–1.3), and with it removes them before the step runs.
 * Outputs are project-relative paths; those inside `scportrait.sdata/<type>/<name>` are
 * SpatialData elements and are removed through the store so its `sdata_status` stays right.
 * @module
 */
import * as path from "node:path";
import { ScportraitError } from "../errors.ts";
import { SpatialDataStore } from "../io/spatialdata/spatialdata_store.ts";
import { ELEMENT_TYPES, type ElementType } from "../io/spatialdata/store_layout.ts";
import { PROJECT_NAMES, type ProjectPaths, type StepName } from "./project_paths.ts";

const sdataKey = (type: ElementType, name: string) => `${PROJECT_NAMES.sdata}/${type}/${name}`;

/** The project-relative outputs of `step` known without asking the step driver. */
export function defaultOutputs(step: StepName, name?: string): string[] {
  switch (step) {
    case "load":
      return [sdataKey("images", "input_image")];
    case "segmentation":
      return [
        sdataKey("labels", "seg_all_nucleus"),
        sdataKey("labels", "seg_all_cytosol"),
        sdataKey("points", "centers_seg_all_nucleus"),
        sdataKey("points", "centers_seg_all_cytosol"),
      ];
    case "extraction":
      return [
        path.posix.join(
          PROJECT_NAMES.extraction,
          name ?? PROJECT_NAMES.extractionData,
          PROJECT_NAMES.h5sc,
        ),
      ];
    case "selection":
      return name === undefined ? [] : [`${PROJECT_NAMES.selection}/${name}.xml`];
    default:
      return [];
  }
}

/** Resolves a project-relative output path, refusing any that leaves the project. */
export function outputPath(paths: ProjectPaths, relative: string): string {
  const abs = path.resolve(paths.root, relative);
  if (abs === paths.root || !abs.startsWith(paths.root + path.sep)) {
    throw new ScportraitError(
      "USAGE",
      `Step output "${relative}" is not inside the project ${paths.root}: name a file or ` +
        "folder inside it.",
    );
  }
  return abs;
}

async function exists(file: string): Promise<boolean> {
  try {
    await Deno.lstat(file);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The outputs (project-relative) that exist, including unfinished SpatialData elements. */
export async function existingOutputs(paths: ProjectPaths, outputs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const relative of outputs) {
    const abs = outputPath(paths, relative);
    const element = asElement(relative);
    const unfinished = element
      ? path.join(paths.sdata, element.type, `.${element.name}.incomplete`)
      : undefined;
    if (await exists(abs) || (unfinished !== undefined && await exists(unfinished))) {
      found.push(relative);
    }
  }
  return found;
}

function asElement(relative: string): { type: ElementType; name: string } | undefined {
  const parts = relative.split("/");
  if (parts.length !== 3 || parts[0] !== PROJECT_NAMES.sdata) return undefined;
  const type = parts[1] as ElementType;
  return ELEMENT_TYPES.includes(type) ? { type, name: parts[2]! } : undefined;
}

/** Removes `outputs` (files, folders, SpatialData elements); missing ones are skipped. */
export async function removeOutputs(paths: ProjectPaths, outputs: string[]): Promise<void> {
  let store: SpatialDataStore | undefined;
  for (const relative of outputs) {
    const element = asElement(relative);
    if (element !== undefined && await exists(path.join(paths.sdata, ".zgroup"))) {
      store ??= await SpatialDataStore.open(paths.sdata);
      await store.deleteElement(element.type, element.name);
      continue;
    }
    await Deno.remove(outputPath(paths, relative), { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
}
