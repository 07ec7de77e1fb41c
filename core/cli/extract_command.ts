/**
 * `scportrait extract <project>`: the single-cell extraction step into
 * `extraction/data/single_cells.h5sc`.
 * @module
 */
import { parseArgs } from "node:util";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { Project } from "../project/project.ts";
import type { CliCommand } from "./command.ts";

const USAGE = `usage: scportrait extract <project> [options]

Cuts a window of extraction.image_size pixels around every cell's (rounded) nucleus centre from
scportrait.sdata (input_image + labels/seg_all_nucleus, seg_all_cytosol), as scPortrait does:
masks == id, holes filled, Gaussian σ=1, channels × the last mask, per-cell percentile
normalisation, float16. Writes extraction/data/single_cells.h5sc (AnnData, readable by h5py,
anndata and scPortrait), removed_classes.csv (cells too close to the border) and a row of
extraction/benchmarking.csv. Settings come from the config's extraction: section.

options:
  --overwrite      replace existing extraction results
  --n-cells <n>    partial extraction of n randomly chosen cells (before the border filter),
                   into extraction/partial_data_ncells_<n>_seed_<s>/
  --seed <s>       seed of the partial sampling (default 42)
  --threads <n>    worker count (default: extraction.workers, else one per CPU core)
  --tile-size <n>  side of the streamed tiles in pixels (default 1024)

A killed or failed run resumes when rerun with the same settings: tiles already written are kept.
  --quiet          no progress output
  --json           progress and the result as JSON lines`;

function positiveInt(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new ScportraitError("USAGE", `${flag} must be an integer ≥ ${min}, got "${value}".`);
  }
  return n;
}

/** The `extract` subcommand. */
export const extractCommand: CliCommand = {
  name: "extract",
  summary: "extract single-cell images into extraction/data/single_cells.h5sc",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: {
        overwrite: { type: "boolean", default: false },
        "n-cells": { type: "string" },
        seed: { type: "string" },
        threads: { type: "string" },
        "tile-size": { type: "string" },
        quiet: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", `Give exactly one project folder.\n\n${USAGE}`);
    }
    const needs = { project: positionals[0], writeProject: true, workers: true, anyEnv: true };
    checkPermissions(commandNeeds(needs), "extract");
    const project = await Project.open(positionals[0]!);
    // Imported here, not at the top: h5wasm reads the whole environment when it loads, and the
    // other commands (which share cli.ts) must run with a scoped --allow-env.
    const { extractProject } = await import("../steps/extract/extract_project.ts");
    const result = await extractProject(project, {
      overwrite: values.overwrite,
      nCells: positiveInt(values["n-cells"], "--n-cells"),
      seed: positiveInt(values.seed, "--seed", 0),
      threads: positiveInt(values.threads, "--threads"),
      tileSize: positiveInt(values["tile-size"], "--tile-size"),
      quiet: values.quiet,
      json: values.json,
    });
    const summary = {
      cells: result.nCells,
      removed: result.removedIds.length,
      seconds: +result.seconds.toFixed(2),
      cellsPerSecond: Math.round(result.cellsPerSecond),
      outputs: result.outputs,
    };
    if (values.json) console.log(JSON.stringify(summary));
    else if (!values.quiet) {
      console.log(
        `extracted ${summary.cells} cells (${summary.removed} removed at the border) in ` +
          `${summary.seconds} s (${summary.cellsPerSecond} cells/s): ${summary.outputs.join(", ")}`,
      );
    }
    return 0;
  },
};
