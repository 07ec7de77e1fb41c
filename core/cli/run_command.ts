/**
 * `scportrait run <project> --config <file|url> [--tif … | --ome-zarr …]`: the whole pipeline in
 * one command. It creates (or reopens) the project, loads the input when one is given, installs the
 * configured plugins that are not pinned yet, then runs every step the config names, in order. Each
 * step is the same command you can run alone, so an interrupted `run` resumes step by step.
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load_config.ts";
import type { PipelineConfig } from "../config/pipeline_config.ts";
import { parseMethodRef } from "../config/method_ref.ts";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { Project } from "../project/project.ts";
import { readLockfile } from "../registry/lockfile.ts";
import type { CliCommand } from "./command.ts";

const USAGE =
  `usage: scportrait run <project> --config <file|url> [--tif <a.tif> … | --ome-zarr <src>]
                      [--registry <dir|url>] [--overwrite] [--quiet]

Runs the pipeline the config describes: init, load (when --tif/--ome-zarr is given), plugin
install (methods not yet pinned in scportrait.lock), segment, extract, report — each step only
when the config has its section and the step has not finished already. Rerun it after an
interruption: finished steps are kept and the unfinished one resumes.

options:
  --config <file|url>    pipeline config (our shape or scPortrait's config.yml)
  --tif <file> …         input TIFFs (one per channel, in order) or a multi-channel TIFF
  --ome-zarr <path|url>  OME-Zarr input
  --channels <a,b,…>     channel names
  --registry <dir|url>   where to install missing plugins from (default: this repository's registry/)
  --overwrite            recompute every step (replaces existing results)
  --quiet                no progress output`;

/** Runs another subcommand by its arguments; `has` tells whether a subcommand exists. */
export interface Dispatcher {
  /** Runs `scportrait <args>`; resolves to its exit code. */
  run(args: string[]): Promise<number>;
  /** True when `scportrait <name>` exists in this version. */
  has(name: string): boolean;
}

/** Builds the `run` subcommand on top of the other subcommands. */
export function makeRunCommand(dispatch: Dispatcher): CliCommand {
  return {
    name: "run",
    summary: "run the whole pipeline of a config (init, load, install, segment, extract, report)",
    usage: USAGE,
    async run(args: string[]): Promise<number> {
      const { values, positionals } = parseArgs({
        args,
        options: {
          config: { type: "string" },
          tif: { type: "string", multiple: true },
          "ome-zarr": { type: "string" },
          channels: { type: "string" },
          registry: { type: "string" },
          overwrite: { type: "boolean", default: false },
          quiet: { type: "boolean", default: false },
        },
        allowPositionals: true,
      });
      const [projectDir, ...extra] = positionals;
      if (projectDir === undefined || values.config === undefined) {
        throw new ScportraitError("USAGE", `Give a project folder and --config.\n\n${USAGE}`);
      }
      const tifs = [...(values.tif ?? []), ...(values.tif ? extra : [])];
      const read = [values.config, ...tifs, values["ome-zarr"], values.registry];
      const all = { plugins: true, installs: true, workers: true, anyEnv: true }; // every step
      checkPermissions(
        commandNeeds({ project: projectDir, writeProject: true, read, ...all }),
        "run",
      );
      const config = await loadConfig(values.config);
      const project = await Project.create(projectDir, { config });
      const common = [
        ...(values.overwrite ? ["--overwrite"] : []),
        ...(values.quiet ? ["--quiet"] : []),
      ];
      const steps = await planSteps(project, config.config, dispatch, {
        tifs,
        omeZarr: values["ome-zarr"],
        channels: values.channels,
        registry: values.registry,
        common,
      });
      for (const step of steps) {
        if (!values.quiet) console.error(`\n== scportrait ${step.join(" ")}`);
        const code = await dispatch.run(step);
        if (code !== 0) return code;
      }
      return 0;
    },
  };
}

interface PlanInput {
  tifs: string[];
  omeZarr?: string;
  channels?: string;
  registry?: string;
  common: string[];
}

async function planSteps(
  project: Project,
  config: PipelineConfig,
  dispatch: Dispatcher,
  input: PlanInput,
): Promise<string[][]> {
  const root = project.root;
  const status = await project.status();
  const steps: string[][] = [];
  const channels = [
    ...(input.channels ? ["--channels", input.channels] : []),
    ...input.common,
  ];
  if (input.tifs.length > 0) steps.push(["load", root, "--tif", ...input.tifs, ...channels]);
  else if (input.omeZarr) steps.push(["load", root, "--ome-zarr", input.omeZarr, ...channels]);
  else if (status.inputImage === null) {
    throw new ScportraitError(
      "USAGE",
      `Project ${root} has no input image yet: pass --tif <files> or --ome-zarr <path|url>.`,
    );
  }
  if (steps[0] && status.inputImage !== null && !input.common.includes("--overwrite")) {
    steps.shift(); // the input is loaded already; `load` would refuse to clobber it
  }
  const overwrite = input.common.includes("--overwrite");
  const pinned = (await readLockfile(root)).plugins;
  const stages: { command: string; method?: string; present: boolean; done: boolean }[] = [
    {
      command: "segment",
      method: config.segmentation?.method,
      present: config.segmentation !== undefined,
      done: status.sdata.nucleus_segmentation,
    },
    {
      command: "extract",
      present: config.extraction !== undefined,
      done: status.extraction !== null,
    },
    {
      command: "featurize",
      method: config.featurization?.method,
      present: config.featurization !== undefined,
      done: false,
    },
    {
      command: "select",
      method: config.selection?.method,
      present: config.selection !== undefined,
      done: false,
    },
  ];
  const runnable = stages.filter((stage) => {
    if (stage.present && !dispatch.has(stage.command)) {
      console.error(
        `warning: the config has a ${stage.command} step, which this version cannot run yet; ` +
          "it is skipped",
      );
    }
    return stage.present && dispatch.has(stage.command);
  });
  const registry = input.registry ? ["--registry", input.registry] : [];
  for (const stage of runnable) {
    if (stage.method === undefined || pinned[parseMethodRef(stage.method).id] !== undefined) {
      continue;
    }
    steps.push(["plugin", "install", stage.method, "--project", root, ...registry]);
  }
  for (const stage of runnable) {
    if (!stage.done || overwrite) steps.push([stage.command, root, ...input.common]);
  }
  if (dispatch.has("report")) steps.push(["report", root]);
  return steps;
}
