/**
 * Where everything lives in a project directory. The names follow scPortrait
 * (`pipeline/_utils/constants.py`, spec §1.4–1.6); `scportrait.lock`, `provenance.json`,
 * `config.resolved.json`, `.lock` and the `progress.jsonl` journals are this runtime's additions.
 * @module
 */
import * as path from "node:path";

/** The pipeline steps a project records (the input load counts as a step). */
export type StepName =
  | "load"
  | "stitching"
  | "segmentation"
  | "extraction"
  | "featurization"
  | "selection";

/** Every step name, in pipeline order. */
export const STEP_NAMES: readonly StepName[] = [
  "load",
  "stitching",
  "segmentation",
  "extraction",
  "featurization",
  "selection",
];

/** scPortrait's file and folder names. */
export const PROJECT_NAMES = {
  config: "config.yml",
  resolvedConfig: "config.resolved.json",
  log: "processing.log",
  sdata: "scportrait.sdata",
  lockfile: "scportrait.lock",
  provenance: "provenance.json",
  runLock: ".lock",
  journal: "progress.jsonl",
  segmentation: "segmentation",
  extraction: "extraction",
  extractionData: "data",
  h5sc: "single_cells.h5sc",
  featurization: "featurization",
  selection: "selection",
  stitching: "stitching",
} as const;

/** Absolute paths of a project's files and folders. */
export interface ProjectPaths {
  /** The project directory. */
  root: string;
  /** `config.yml`: verbatim copy of the user's config. */
  config: string;
  /** `config.resolved.json`: the normalised config with defaults, and which defaults applied. */
  resolvedConfig: string;
  /** `processing.log`: the project log. */
  log: string;
  /** `scportrait.sdata`: the SpatialData zarr store. */
  sdata: string;
  /** `scportrait.lock`: exact plugin versions and sha256. */
  lockfile: string;
  /** `provenance.json`: the append-only list of step records. */
  provenance: string;
  /** `.lock`: the exclusive run lock (pid, host, start time). */
  runLock: string;
  /** `segmentation/`. */
  segmentation: string;
  /** `extraction/`. */
  extraction: string;
  /** `extraction/data/`. */
  extractionData: string;
  /** `extraction/data/single_cells.h5sc`. */
  h5sc: string;
  /** `featurization/`. */
  featurization: string;
  /** `selection/`. */
  selection: string;
  /** `stitching/` (scPortrait stitches outside a project; here it may write into one). */
  stitching: string;
  /** The directory of a step (`load` uses the project root). */
  stepDir(step: StepName): string;
  /** The log file of a step: `<step>/processing.log`, or the project log for `load`. */
  stepLog(step: StepName): string;
  /** `selection/<name>.xml`. */
  selectionXml(name: string): string;
  /**
   * The folder of one run: the step folder, or `<step>/<name>` for named runs that coexist
   * (featurization labels, selection names). `load` has no folder of its own (the project root).
   */
  runDir(step: StepName, name?: string): string;
  /** The resume journal of a run: `<runDir>/progress.jsonl` (`load.progress.jsonl` for load). */
  journal(step: StepName, name?: string): string;
}

/** The paths of the project at `root` (made absolute). */
export function projectPaths(root: string): ProjectPaths {
  const abs = path.resolve(root);
  const at = (...parts: string[]) => path.join(abs, ...parts);
  const stepDir = (step: StepName) => step === "load" ? abs : at(step);
  const runDir = (step: StepName, name?: string) =>
    name === undefined ? stepDir(step) : path.join(stepDir(step), name);
  return {
    root: abs,
    config: at(PROJECT_NAMES.config),
    resolvedConfig: at(PROJECT_NAMES.resolvedConfig),
    log: at(PROJECT_NAMES.log),
    sdata: at(PROJECT_NAMES.sdata),
    lockfile: at(PROJECT_NAMES.lockfile),
    provenance: at(PROJECT_NAMES.provenance),
    runLock: at(PROJECT_NAMES.runLock),
    segmentation: at(PROJECT_NAMES.segmentation),
    extraction: at(PROJECT_NAMES.extraction),
    extractionData: at(PROJECT_NAMES.extraction, PROJECT_NAMES.extractionData),
    h5sc: at(PROJECT_NAMES.extraction, PROJECT_NAMES.extractionData, PROJECT_NAMES.h5sc),
    featurization: at(PROJECT_NAMES.featurization),
    selection: at(PROJECT_NAMES.selection),
    stitching: at(PROJECT_NAMES.stitching),
    stepDir,
    stepLog: (step) => path.join(stepDir(step), PROJECT_NAMES.log),
    selectionXml: (name) => at(PROJECT_NAMES.selection, `${name}.xml`),
    runDir,
    journal: (step, name) =>
      step === "load" && name === undefined
        ? at(`load.${PROJECT_NAMES.journal}`)
        : path.join(runDir(step, name), PROJECT_NAMES.journal),
  };
}
