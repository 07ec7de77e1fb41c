/**
 * One run of a step, from `Project.beginStep` to `finish` or `fail`: it holds the project's run
 * lock, the resume journal (`isDone` / `markDone`), the step's log, and on ending writes the
 * provenance record and releases the lock.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import { appendProvenance, type PluginPin, type ProvenanceRecord } from "./provenance.ts";
import { TOOL_VERSION } from "./provenance.ts";
import type { ProjectLogger } from "./project_logger.ts";
import type { StepName } from "./project_paths.ts";
import type { RunLock } from "./run_lock.ts";
import type { JournalWriter } from "./step_journal.ts";

/** What a {@link StepRun} is built from (made by `Project.beginStep`). */
export interface StepRunInit {
  /** The step. */
  step: StepName;
  /** Name of a coexisting run (featurization label, selection name). */
  name: string | undefined;
  /** Folder of the run. */
  dir: string;
  /** `provenance.json`. */
  provenanceFile: string;
  /** The held run lock. */
  lock: RunLock;
  /** The open journal. */
  journal: JournalWriter;
  /** Units committed by earlier attempts: key → info. */
  done: Map<string, unknown>;
  /** The step's logger. */
  logger: ProjectLogger;
  /** Canonical params hash. */
  paramsHash: string;
  /** Input hashes. */
  inputs: Record<string, string>;
  /** The plugin that runs, if any. */
  plugin: PluginPin | undefined;
}

/** What `finish` records. */
export interface StepFinish {
  /** Cell counts and the like, e.g. `{nucleus: 1234}`. */
  counts?: Record<string, number>;
  /** Project-relative paths or element keys written. */
  outputs?: string[];
}

/** A step run in progress. */
export class StepRun {
  /** The step. */
  readonly step: StepName;
  /** Name of a coexisting run, if any. */
  readonly name: string | undefined;
  /** Folder of this run (created). */
  readonly dir: string;
  /** True when this run continues an interrupted one (some units are already done). */
  readonly resumed: boolean;
  /** `sha256:<hex>` of the canonical parameters. */
  readonly paramsHash: string;
  readonly #init: StepRunInit;
  readonly #started = new Date();
  readonly #reused: number;
  #computed = 0;
  #ended = false;

  /** Made by `Project.beginStep`; not meant to be constructed directly. */
  constructor(init: StepRunInit) {
    this.#init = init;
    this.step = init.step;
    this.name = init.name;
    this.dir = init.dir;
    this.paramsHash = init.paramsHash;
    this.resumed = init.done.size > 0;
    this.#reused = init.done.size;
  }

  /** Whether unit `key` (a tile, a batch) was committed by this or an earlier attempt. */
  isDone(key: string): boolean {
    return this.#init.done.has(key);
  }

  /** The info recorded with unit `key`, if it is done. */
  doneInfo(key: string): unknown {
    return this.#init.done.get(key);
  }

  /** Keys of every committed unit. */
  doneKeys(): string[] {
    return [...this.#init.done.keys()];
  }

  /**
   * Records that unit `key` is committed (its results are durably written): one fsynced journal
   * line. Call it after the unit's outputs are on disk, never before.
   */
  async markDone(key: string, info?: unknown): Promise<void> {
    this.#assertOpen("markDone");
    await this.#init.journal.append({ event: "unit", key, at: new Date().toISOString(), info });
    if (!this.#init.done.has(key)) this.#computed++;
    this.#init.done.set(key, info);
  }

  /** Appends `message` to the step's `processing.log`. */
  log(message: unknown): Promise<void> {
    return this.#init.logger.log(message);
  }

  /** Ends the run successfully: journal `finish`, provenance `ok`, lock released. */
  async finish(result: StepFinish = {}): Promise<ProvenanceRecord> {
    this.#assertOpen("finish");
    this.#ended = true;
    try {
      await this.#init.journal.append({
        event: "finish",
        at: new Date().toISOString(),
        ...(result.counts ? { counts: result.counts } : {}),
      });
      await this.#init.journal.close();
      const record = this.#record("ok", result);
      await appendProvenance(this.#init.provenanceFile, record);
      await this.log(
        `Finished ${this.#label()} in ${record.duration_s.toFixed(2)} s` +
          (result.counts ? ` (${formatCounts(result.counts)})` : ""),
      );
      return record;
    } finally {
      await this.#init.lock.release();
    }
  }

  /** Ends the run as failed: journal `fail`, provenance `failed`, lock released. Resumable. */
  async fail(error: unknown): Promise<ProvenanceRecord> {
    this.#assertOpen("fail");
    this.#ended = true;
    const message = error instanceof Error ? error.message : String(error);
    try {
      await this.#init.journal.append({
        event: "fail",
        at: new Date().toISOString(),
        error: message,
      })
        .catch(() => {});
      await this.#init.journal.close().catch(() => {});
      const record = { ...this.#record("failed", {}), error: message };
      await appendProvenance(this.#init.provenanceFile, record);
      await this.log(`Failed ${this.#label()}: ${message}`).catch(() => {});
      return record;
    } finally {
      await this.#init.lock.release();
    }
  }

  #label(): string {
    return this.name === undefined ? this.step : `${this.step} ${this.name}`;
  }

  #record(status: "ok" | "failed", result: StepFinish): ProvenanceRecord {
    const finished = new Date();
    const plugin = this.#init.plugin;
    return {
      step: this.step,
      ...(this.name !== undefined ? { name: this.name } : {}),
      status,
      started: this.#started.toISOString(),
      finished: finished.toISOString(),
      duration_s: (finished.getTime() - this.#started.getTime()) / 1000,
      ...(plugin ? { plugin: `${plugin.id}@${plugin.version}` } : {}),
      ...(plugin?.sha256 ? { plugin_sha256: plugin.sha256 } : {}),
      params_hash: this.paramsHash,
      inputs: this.#init.inputs,
      ...(result.counts ? { counts: result.counts } : {}),
      ...(result.outputs ? { outputs: result.outputs } : {}),
      units: { computed: this.#computed, reused: this.#reused },
      deno: Deno.version.deno,
      tool: TOOL_VERSION,
    };
  }

  #assertOpen(what: string): void {
    if (this.#ended) {
      throw new ScportraitError(
        "USAGE",
        `StepRun.${what}: the ${this.#label()} run has already ended; begin a new run.`,
      );
    }
  }
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(", ");
}
