/**
 * Starting a step run: run lock, overwrite rules, resume. In order: take the project's run lock;
 * look for the step's results (its outputs, or a finished journal) — present without
 * `overwrite` → `ELEMENT_EXISTS`; with `overwrite`, remove them, the journal and (as scPortrait's
 * `ProcessingStep.__call__`) the step's folder; otherwise read an unfinished journal and resume
 * it if the parameters hash the same. Any failure releases the lock.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import { removeStaleTemps } from "../io/atomic_file.ts";
import { canonicalHash } from "./canonical_json.ts";
import type { PluginPin } from "./provenance.ts";
import type { ProjectLogger } from "./project_logger.ts";
import type { ProjectPaths, StepName } from "./project_paths.ts";
import { RunLock } from "./run_lock.ts";
import { defaultOutputs, existingOutputs, removeOutputs } from "./step_outputs.ts";
import { JournalWriter, readJournal } from "./step_journal.ts";
import { StepRun } from "./step_run.ts";

/** Options of {@link Project.beginStep}. */
export interface BeginStepOptions {
  /** Remove the step's existing results (and any unfinished run) first. */
  overwrite?: boolean;
  /** Name of a run that coexists with others (featurization label, selection name). */
  name?: string;
  /** Input name → hash or identity, recorded in provenance. */
  inputs?: Record<string, string>;
  /** The step's parameters; their canonical hash is recorded and checked on resume. */
  params?: unknown;
  /** The plugin that runs, recorded in provenance. */
  plugin?: PluginPin;
  /**
   * Project-relative results of this run besides the defaults (`scportrait.sdata/tables/x`, …);
   * their presence makes a rerun need `overwrite`, which removes them.
   */
  outputs?: string[];
}

const RUN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkName(step: StepName, name: string | undefined): void {
  if (name === undefined) return;
  if (!RUN_NAME.test(name) || name.length > 200) {
    throw new ScportraitError(
      "USAGE",
      `Run name "${name}" of step ${step} is not allowed: use letters, digits, "_", "-" and "." ` +
        "and do not start with a dot.",
    );
  }
}

function label(step: StepName, name: string | undefined): string {
  return name === undefined ? step : `${step} "${name}"`;
}

/** Begins a run of `step` in the project at `paths` (see `Project.beginStep`). */
export async function beginStepRun(
  paths: ProjectPaths,
  logger: ProjectLogger,
  step: StepName,
  options: BeginStepOptions,
): Promise<StepRun> {
  const name = options.name;
  checkName(step, name);
  const lock = await RunLock.acquire(paths.runLock, label(step, name));
  try {
    const paramsHash = await canonicalHash(options.params ?? {});
    const outputs = [...defaultOutputs(step, name), ...(options.outputs ?? [])];
    const journalFile = paths.journal(step, name);
    let journal = await readJournal(journalFile);
    // An interrupted run (journal without finish) owns its partial outputs: they do not block
    // resuming it. Otherwise any output present, or a finished journal, is a result.
    const interrupted = journal !== null && !journal.finished;
    const present = interrupted ? [] : await existingOutputs(paths, outputs);
    if (journal?.finished) present.push(journalFile.slice(paths.root.length + 1));
    if (options.overwrite) {
      await removeOutputs(paths, outputs);
      await Deno.remove(journalFile).catch(() => {});
      if (step !== "load") {
        await Deno.remove(paths.runDir(step, name), { recursive: true }).catch(() => {});
      }
      journal = null;
    } else if (present.length > 0) {
      throw new ScportraitError(
        "ELEMENT_EXISTS",
        `The ${label(step, name)} step already has results in ${paths.root} ` +
          `(${present.join(", ")}): rerun with --overwrite (overwrite: true) to replace them.`,
      );
    } else if (journal !== null && journal.done.size > 0) {
      if (journal.paramsHash !== paramsHash) {
        throw new ScportraitError(
          "RESUME_CONFLICT",
          `An unfinished ${label(step, name)} run in ${paths.root} used other parameters ` +
            `(${journal.paramsHash}, now ${paramsHash}), so it cannot be resumed: rerun with ` +
            "--overwrite to start the step again.",
        );
      }
    }
    const dir = paths.runDir(step, name);
    await Deno.mkdir(dir, { recursive: true });
    await removeStaleTemps(dir);
    const writer = await JournalWriter.open(journalFile, journal?.validLength);
    const done = journal?.done ?? new Map<string, unknown>();
    await writer.append({
      event: "begin",
      at: new Date().toISOString(),
      params_hash: paramsHash,
      resumed: done.size > 0,
      pid: Deno.pid,
    });
    if (options.overwrite && (present.length > 0 || interrupted)) {
      await logger.log(
        `Overwriting ${[...present, ...(interrupted ? ["an unfinished run"] : [])].join(", ")}`,
      );
    }
    await logger.log(
      done.size > 0
        ? `Resuming ${label(step, name)}: ${done.size} units already done`
        : `Starting ${label(step, name)}`,
    );
    return new StepRun({
      step,
      name,
      dir,
      provenanceFile: paths.provenance,
      lock,
      journal: writer,
      done,
      logger,
      paramsHash,
      inputs: options.inputs ?? {},
      plugin: options.plugin,
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
}
