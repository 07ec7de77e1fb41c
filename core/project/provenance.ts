/**
 * `provenance.json`: the append-only history of step runs of a project — what ran (plugin
 * id@version and sha256), with which parameters (canonical hash), on which inputs (hashes), how
 * long it took, what it produced (cell counts) and with which runtime. Appending reads the file,
 * adds one record and replaces the file atomically, so a kill at any moment leaves the previous
 * history whole and parseable; records are never removed or rewritten.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import { writeJsonAtomic } from "../io/atomic_file.ts";
import denoJson from "../../deno.json" with { type: "json" };
import type { StepName } from "./project_paths.ts";

/** This runtime's name and version, as recorded in provenance. */
export const TOOL_VERSION = `scportrait-deno@${denoJson.version}`;

/** Format marker of `provenance.json`. */
export const PROVENANCE_FORMAT = "scportrait-deno.provenance/1";

/** A plugin pinned for a run. */
export interface PluginPin {
  /** Plugin id, e.g. `wga-segmentation`. */
  id: string;
  /** Exact version. */
  version: string;
  /** `sha256:<hex>` (or plain hex) of the component. */
  sha256?: string;
}

/** One step run. */
export interface ProvenanceRecord {
  /** The step. */
  step: StepName;
  /** Name of the run for steps whose runs coexist (featurization label, selection name). */
  name?: string;
  /** `ok` when the run finished, `failed` otherwise. */
  status: "ok" | "failed";
  /** ISO start time (of this attempt). */
  started: string;
  /** ISO end time. */
  finished: string;
  /** Wall time in seconds. */
  duration_s: number;
  /** `id@version`, when a plugin ran. */
  plugin?: string;
  /** The plugin's component hash, when known. */
  plugin_sha256?: string;
  /** `sha256:<hex>` of the canonical JSON of the parameters. */
  params_hash: string;
  /** Input name → hash or identity, as given by the step. */
  inputs: Record<string, string>;
  /** Cell counts and similar numbers. */
  counts?: Record<string, number>;
  /** Project-relative paths or element keys written. */
  outputs?: string[];
  /** Units recomputed in this attempt and units reused from an earlier, interrupted attempt. */
  units?: { computed: number; reused: number };
  /** The error message of a failed run. */
  error?: string;
  /** Deno version. */
  deno: string;
  /** This runtime, `scportrait-deno@<version>`. */
  tool: string;
}

/** The whole file. */
export interface ProvenanceFile {
  /** {@link PROVENANCE_FORMAT}. */
  format: string;
  /** Step runs, oldest first. */
  steps: ProvenanceRecord[];
}

/** Reads `file` (an empty history if it does not exist); `PROJECT_INVALID` if it is garbled. */
export async function readProvenance(file: string): Promise<ProvenanceFile> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { format: PROVENANCE_FORMAT, steps: [] };
    throw error;
  }
  let parsed: ProvenanceFile;
  try {
    parsed = JSON.parse(text) as ProvenanceFile;
  } catch (error) {
    throw new ScportraitError(
      "PROJECT_INVALID",
      `${file} is not valid JSON: it was edited or damaged outside scportrait. Restore it from ` +
        "a backup or move it aside (history is lost).",
      { cause: error },
    );
  }
  if (!Array.isArray(parsed?.steps)) {
    throw new ScportraitError(
      "PROJECT_INVALID",
      `${file} has no "steps" list: it is not a scportrait provenance file. Move it aside.`,
    );
  }
  return parsed;
}

/** Appends `record` to `file` (read, push, atomic replace). */
export async function appendProvenance(file: string, record: ProvenanceRecord): Promise<void> {
  const history = await readProvenance(file);
  history.steps.push(record);
  await writeJsonAtomic(file, {
    format: history.format ?? PROVENANCE_FORMAT,
    steps: history.steps,
  });
}
