/**
 * A scPortrait project directory: `config.yml` (verbatim copy of the user's config),
 * `config.resolved.json` (normalised config and the defaults applied), `processing.log`,
 * `scportrait.sdata/`, step folders (created when a step first runs), `scportrait.lock`,
 * `provenance.json`, and the run lock `.lock`. `beginStep` is the one way a step starts: it takes
 * the run lock, refuses to clobber results unless `overwrite`, and resumes interrupted runs.
 * @module
 */
import * as path from "node:path";
import { ScportraitError } from "../errors.ts";
import { removeStaleTemps, writeFileAtomic, writeJsonAtomic } from "../io/atomic_file.ts";
import { SpatialDataStore } from "../io/spatialdata/spatialdata_store.ts";
import type { LoadedConfig } from "../config/pipeline_config.ts";
import { parseConfig } from "../config/load_config.ts";
import { PROJECT_NAMES, type ProjectPaths, projectPaths, type StepName } from "./project_paths.ts";
import { ProjectLogger } from "./project_logger.ts";
import { type ProjectStatus, readProjectStatus } from "./project_status.ts";
import { type ProvenanceFile, readProvenance } from "./provenance.ts";
import { RunLock } from "./run_lock.ts";
import { type BeginStepOptions, beginStepRun } from "./begin_step.ts";
import type { StepRun } from "./step_run.ts";

export type { BeginStepOptions };

/** The parts of a loaded config a project stores (see `loadConfig`). */
export type ProjectConfigInput =
  & Pick<LoadedConfig, "text" | "source" | "config">
  & Partial<
    Pick<LoadedConfig, "defaultsApplied" | "shape" | "origins" | "warnings">
  >;

/** Options of {@link Project.create}. */
export interface CreateProjectOptions {
  /** The config to copy into the project. */
  config: ProjectConfigInput;
  /** Replace an existing project's files (or add a project to a non-empty folder). */
  overwrite?: boolean;
  /** Also print log lines to this sink (scPortrait's `debug=True`). */
  echo?: (line: string) => void;
}

const PROJECT_ENTRIES: readonly string[] = [
  PROJECT_NAMES.config,
  PROJECT_NAMES.resolvedConfig,
  PROJECT_NAMES.log,
  PROJECT_NAMES.sdata,
  PROJECT_NAMES.lockfile,
  PROJECT_NAMES.provenance,
  `load.${PROJECT_NAMES.journal}`,
  PROJECT_NAMES.stitching,
  PROJECT_NAMES.segmentation,
  PROJECT_NAMES.extraction,
  PROJECT_NAMES.featurization,
  PROJECT_NAMES.selection,
];

async function statOrNull(file: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * The bytes to store as `config.yml`: the source file's own bytes when it is a local file that
 * still holds `config.text` (so a byte-order mark or odd encoding survives, as `shutil.copy`),
 * else the text.
 */
async function sourceBytes(config: ProjectConfigInput): Promise<Uint8Array | string> {
  if (!path.isAbsolute(config.source)) return config.text;
  try {
    const bytes = await Deno.readFile(config.source);
    return new TextDecoder().decode(bytes) === config.text ? bytes : config.text;
  } catch {
    return config.text;
  }
}

/** An open project directory. */
export class Project {
  /** Every path of the project. */
  readonly paths: ProjectPaths;
  readonly #echo: ((line: string) => void) | undefined;
  readonly #loggers = new Map<string, ProjectLogger>();

  private constructor(root: string, echo?: (line: string) => void) {
    this.paths = projectPaths(root);
    this.#echo = echo;
  }

  /** The project directory (absolute). */
  get root(): string {
    return this.paths.root;
  }

  /**
   * Creates a project at `dir` with `config`. An existing project with the same `config.yml`
   * text is opened as is; a different one, or a non-empty folder that is not a project, is
   * refused with `PROJECT_EXISTS` unless `overwrite`, which deletes the project's files (never
   * other files in the folder).
   */
  static async create(dir: string, options: CreateProjectOptions): Promise<Project> {
    const project = new Project(dir, options.echo);
    const paths = project.paths;
    const info = await statOrNull(paths.root);
    if (info !== null && !info.isDirectory) {
      throw new ScportraitError(
        "PROJECT_INVALID",
        `${paths.root} exists and is not a folder: choose another project location.`,
      );
    }
    const entries = info === null ? [] : await Array.fromAsync(Deno.readDir(paths.root));
    const existingConfig = await Deno.readTextFile(paths.config).catch(() => null);
    if (entries.length > 0 && !options.overwrite) {
      if (existingConfig === options.config.text) return project;
      throw new ScportraitError(
        "PROJECT_EXISTS",
        existingConfig !== null
          ? `${paths.root} is already a project with a different config.yml: open it as is, or ` +
            "use --overwrite to start it over (its results are deleted)."
          : `${paths.root} is not empty and is not a scPortrait project: choose an empty or new ` +
            "folder, or use --overwrite to create the project there (other files are kept).",
      );
    }
    await Deno.mkdir(paths.root, { recursive: true });
    if (entries.length > 0) {
      const lock = await RunLock.acquire(paths.runLock, "init --overwrite");
      try {
        for (const name of PROJECT_ENTRIES) {
          await Deno.remove(path.join(paths.root, name), { recursive: true }).catch((error) => {
            if (!(error instanceof Deno.errors.NotFound)) throw error;
          });
        }
        await removeStaleTemps(paths.root);
      } finally {
        await lock.release();
      }
    }
    await project.#writeConfig(options.config);
    await project.logger().log([
      `Created project ${paths.root}`,
      `Loading config from ${options.config.source}`,
    ]);
    return project;
  }

  /** Opens the project at `dir`: `PROJECT_NOT_FOUND` / `PROJECT_INVALID` say what is missing. */
  static async open(
    dir: string,
    options: { echo?: (line: string) => void } = {},
  ): Promise<Project> {
    const project = new Project(dir, options.echo);
    const paths = project.paths;
    const info = await statOrNull(paths.root);
    if (info === null) {
      throw new ScportraitError(
        "PROJECT_NOT_FOUND",
        `No project at ${paths.root}: create one with \`scportrait init ${dir} --config <file>\`.`,
      );
    }
    if (!info.isDirectory) {
      throw new ScportraitError(
        "PROJECT_INVALID",
        `${paths.root} is a file, not a project folder.`,
      );
    }
    const config = await statOrNull(paths.config);
    if (config === null || !config.isFile) {
      throw new ScportraitError(
        "PROJECT_INVALID",
        `${paths.root} has no ${PROJECT_NAMES.config}, so it is not a scPortrait project: create ` +
          `one with \`scportrait init ${dir} --config <file>\`.`,
      );
    }
    return project;
  }

  async #writeConfig(config: ProjectConfigInput): Promise<void> {
    await writeFileAtomic(this.paths.config, await sourceBytes(config));
    await writeJsonAtomic(this.paths.resolvedConfig, {
      source: config.source,
      ...(config.shape !== undefined ? { shape: config.shape } : {}),
      config: config.config,
      defaults_applied: config.defaultsApplied ?? [],
      ...(config.origins !== undefined ? { origins: config.origins } : {}),
      warnings: config.warnings ?? [],
    });
  }

  /** The raw text of `config.yml`. */
  async configText(): Promise<string> {
    return await Deno.readTextFile(this.paths.config);
  }

  /** Parses and validates `config.yml` (throws `CONFIG_*` errors naming the file). */
  async loadConfig(): Promise<LoadedConfig> {
    return parseConfig(await this.configText(), this.paths.config);
  }

  /** The logger of the project (`processing.log`) or of a step (`<step>/processing.log`). */
  logger(step?: StepName): ProjectLogger {
    const file = step === undefined ? this.paths.log : this.paths.stepLog(step);
    let logger = this.#loggers.get(file);
    if (logger === undefined) {
      logger = new ProjectLogger(file, this.#echo);
      this.#loggers.set(file, logger);
    }
    return logger;
  }

  /**
   * Starts a run of `step`: takes the run lock (`PROJECT_LOCKED` if another live run holds it),
   * refuses existing results without `overwrite` (`ELEMENT_EXISTS` naming the step and the
   * flag), resumes an interrupted run with the same parameters (`RESUME_CONFLICT` if they
   * differ), and returns the {@link StepRun} that must end with `finish` or `fail`.
   */
  async beginStep(step: StepName, options: BeginStepOptions = {}): Promise<StepRun> {
    return await beginStepRun(this.paths, this.logger(step), step, options);
  }

  /** Opens `scportrait.sdata`, creating an empty store when there is none yet. */
  async openStore(): Promise<SpatialDataStore> {
    if (await statOrNull(path.join(this.paths.sdata, ".zgroup")) === null) {
      return await SpatialDataStore.create(this.paths.sdata);
    }
    return await SpatialDataStore.open(this.paths.sdata);
  }

  /** The step history (`provenance.json`). */
  async provenance(): Promise<ProvenanceFile> {
    return await readProvenance(this.paths.provenance);
  }

  /** What the project holds (see {@link ProjectStatus}). */
  async status(): Promise<ProjectStatus> {
    return await readProjectStatus(this.paths);
  }
}
