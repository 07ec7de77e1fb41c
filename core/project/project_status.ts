/**
 * What a project holds, read without changing anything: the input image (channels, shape), the
 * masks and centres (scPortrait's `sdata_status` root attributes of `scportrait.sdata`), cell
 * counts (latest successful provenance records), the `.h5sc` file, featurization tables,
 * selection XMLs, plugins pinned in `scportrait.lock`, and runs whose journal has no `finish`.
 * @module
 */
import * as path from "node:path";
import { readLockfile } from "../registry/lockfile.ts";
import { SpatialDataStore } from "../io/spatialdata/spatialdata_store.ts";
import type { SdataStatus } from "../io/spatialdata/store_layout.ts";
import { type ProjectPaths, STEP_NAMES, type StepName } from "./project_paths.ts";
import { readProvenance } from "./provenance.ts";
import { readJournal } from "./step_journal.ts";

/** A run that started and did not finish (resumable). */
export interface IncompleteRun {
  /** The step. */
  step: StepName;
  /** Name of a coexisting run, if any. */
  name?: string;
  /** Units already committed. */
  unitsDone: number;
  /** True when the run recorded a failure; false when it was killed. */
  failed: boolean;
  /** The journal file. */
  journal: string;
}

/** A pinned plugin from `scportrait.lock`. */
export interface PinnedPlugin {
  /** Plugin id. */
  id: string;
  /** Exact version. */
  version: string;
  /** sha256 (hex) of the component. */
  sha256: string;
}

/** Everything `project.status()` reports. */
export interface ProjectStatus {
  /** The project directory. */
  root: string;
  /** The input image, if loaded. */
  inputImage: { channels: string[]; shape: number[]; dtype: string } | null;
  /** scPortrait's `sdata_status` flags (all false when there is no store yet). */
  sdata: SdataStatus;
  /** SpatialData elements still being written (`labels/seg_all_nucleus`, …). */
  unfinishedElements: string[];
  /** Cell counts from the latest successful run of each step: `segmentation.nucleus` → n. */
  cellCounts: Record<string, number>;
  /** The extraction output, if present. */
  extraction: { path: string; bytes: number } | null;
  /** Names of the store's `tables/*` elements (featurization results). */
  featurizationTables: string[];
  /** Names of `selection/*.xml` files (without `.xml`). */
  selections: string[];
  /** Plugins pinned in `scportrait.lock`. */
  plugins: PinnedPlugin[];
  /** Runs with a journal and no `finish`. */
  incomplete: IncompleteRun[];
  /** Number of step records in `provenance.json`. */
  provenanceRecords: number;
  /** Problems found while reading (a garbled lock file, …). */
  warnings: string[];
}

const NO_STATUS: SdataStatus = {
  input_images: false,
  nucleus_segmentation: false,
  cytosol_segmentation: false,
  nucleus_centers: false,
  cytosol_centers: false,
};

async function fileSize(file: string): Promise<number | null> {
  try {
    return (await Deno.stat(file)).size;
  } catch {
    return null;
  }
}

async function listDir(dir: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return [];
  }
}

async function storePart(paths: ProjectPaths, status: ProjectStatus): Promise<void> {
  if (await fileSize(path.join(paths.sdata, ".zgroup")) === null) return;
  const store = await SpatialDataStore.open(paths.sdata);
  const attrs = await store.rootAttrs();
  status.sdata = { ...NO_STATUS, ...(attrs.sdata_status as Partial<SdataStatus> | undefined) };
  const elements = await store.elements();
  status.unfinishedElements = elements.filter((e) => !e.complete).map((e) => `${e.type}/${e.name}`);
  status.featurizationTables = elements.filter((e) => e.complete && e.type === "tables")
    .map((e) => e.name);
  if (elements.some((e) => e.complete && e.type === "images" && e.name === "input_image")) {
    const image = await store.openImage("input_image");
    try {
      status.inputImage = {
        channels: [...image.channelNames],
        shape: [image.channels, image.height, image.width],
        dtype: image.sourceDtype,
      };
    } finally {
      await image.close();
    }
  }
}

async function incompleteRuns(paths: ProjectPaths): Promise<IncompleteRun[]> {
  const candidates: { step: StepName; name?: string }[] = [];
  for (const step of STEP_NAMES) {
    candidates.push({ step });
    if (step === "load") continue;
    for (const entry of await listDir(paths.stepDir(step))) {
      if (entry.isDirectory) candidates.push({ step, name: entry.name });
    }
  }
  const out: IncompleteRun[] = [];
  for (const { step, name } of candidates) {
    const journal = await readJournal(paths.journal(step, name));
    if (journal === null || journal.finished) continue;
    out.push({
      step,
      ...(name !== undefined ? { name } : {}),
      unitsDone: journal.done.size,
      failed: journal.failed,
      journal: journal.file,
    });
  }
  return out;
}

/** Reads the status of the project at `paths`. */
export async function readProjectStatus(paths: ProjectPaths): Promise<ProjectStatus> {
  const status: ProjectStatus = {
    root: paths.root,
    inputImage: null,
    sdata: { ...NO_STATUS },
    unfinishedElements: [],
    cellCounts: {},
    extraction: null,
    featurizationTables: [],
    selections: [],
    plugins: [],
    incomplete: [],
    provenanceRecords: 0,
    warnings: [],
  };
  await storePart(paths, status);
  const history = await readProvenance(paths.provenance);
  status.provenanceRecords = history.steps.length;
  const latest = new Map<string, Record<string, number>>();
  for (const record of history.steps) {
    if (record.status !== "ok" || !record.counts) continue;
    latest.set(`${record.step}${record.name ? `/${record.name}` : ""}`, record.counts);
  }
  for (const [run, counts] of latest) {
    for (const [key, value] of Object.entries(counts)) status.cellCounts[`${run}.${key}`] = value;
  }
  const h5scBytes = await fileSize(paths.h5sc);
  if (h5scBytes !== null) status.extraction = { path: paths.h5sc, bytes: h5scBytes };
  status.selections = (await listDir(paths.selection))
    .filter((e) => e.isFile && e.name.endsWith(".xml")).map((e) => e.name.slice(0, -4)).sort();
  try {
    const lock = await readLockfile(paths.root);
    status.plugins = Object.entries(lock.plugins).map(([id, e]) => ({
      id,
      version: e.version,
      sha256: e.sha256,
    })).sort((a, b) => a.id.localeCompare(b.id));
  } catch (error) {
    status.warnings.push((error as Error).message);
  }
  status.incomplete = await incompleteRuns(paths);
  return status;
}
