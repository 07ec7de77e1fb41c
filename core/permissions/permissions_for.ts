/**
 * `permissionsFor`: the least-privilege `deno run` lines for running a config, one per pipeline
 * command (`init`, `plugin install`, `load`, `segment`, `extract`) — reads scoped to the config,
 * inputs, project, plugin cache, trusted keys and the host's own code and node_modules (wasm and
 * worker files are read at run time); writes scoped to the project (and the cache for installs);
 * network only to the hosts of remote inputs, config and registry; env scoped unless the h5wasm
 * writer (extraction) needs it unscoped (toolchain-data.md §6).
 * @module
 */
import { join } from "node:path";
import type { PipelineConfig } from "../config/pipeline_config.ts";
import { ScportraitError } from "../errors.ts";
import { FIRST_PARTY_KEY_PATH } from "../registry/trusted_keys.ts";
import {
  addLocation,
  HOST_ENV_VARS,
  mergeNeeds,
  noNeeds,
  type PermissionNeeds,
  REPO_ROOT,
  YAML_ENV_VARS,
} from "./permission_needs.ts";

/** What a run touches. */
export interface RunTarget {
  /** The config as given (path or URL). */
  configSource: string;
  /** The loaded config (decides which steps run). */
  config: PipelineConfig;
  /** Project folder. */
  project: string;
  /** Input images or stores (paths or URLs). */
  inputs: string[];
  /** Plugin cache root. */
  cacheRoot: string;
  /** Registry (path or URL), when the run may install plugins. */
  registry?: string;
  /** Extra trusted public key files. */
  trust?: string[];
}

/** The permission needs of the whole pipeline for `target` in one process (all commands). */
export function runNeeds(target: RunTarget): PermissionNeeds {
  const needs = noNeeds();
  addLocation(needs, target.configSource);
  for (const input of target.inputs) addLocation(needs, input);
  addLocation(needs, target.project, true);
  addLocation(needs, target.cacheRoot, true); // `run` installs missing plugins
  addLocation(needs, target.registry ?? join(REPO_ROOT, "registry"));
  needs.read.push(FIRST_PARTY_KEY_PATH, ...(target.trust ?? []));
  // The host's own files read at run time: worker scripts and wasm/so files of npm packages.
  needs.read.push(join(REPO_ROOT, "core"), join(REPO_ROOT, "node_modules"));
  // h5wasm (the .h5sc writer) fails unless --allow-env is unscoped.
  needs.env = target.config.extraction ? true : [...HOST_ENV_VARS, ...YAML_ENV_VARS];
  return mergeNeeds(needs);
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The `--allow-*` flags granting exactly `needs`. */
export function permissionFlags(needs: PermissionNeeds): string[] {
  const flags: string[] = [];
  if (needs.read.length > 0) flags.push(`--allow-read=${needs.read.join(",")}`);
  if (needs.write.length > 0) flags.push(`--allow-write=${needs.write.join(",")}`);
  if (needs.net.length > 0) flags.push(`--allow-net=${needs.net.join(",")}`);
  if (needs.env === true) flags.push("--allow-env");
  else if (needs.env.length > 0) flags.push(`--allow-env=${needs.env.join(",")}`);
  return flags;
}

/** One pipeline command with the permissions it needs. */
export interface PipelineCommand {
  /** The `cli.ts` arguments, e.g. `["segment", "/srv/p1"]`. */
  args: string[];
  /** What the command needs. */
  needs: PermissionNeeds;
}

function hostNeeds(workers: boolean): PermissionNeeds {
  const needs = noNeeds();
  if (workers) needs.read.push(join(REPO_ROOT, "core"), join(REPO_ROOT, "node_modules"));
  needs.env = [...HOST_ENV_VARS, ...YAML_ENV_VARS];
  return needs;
}

function projectNeeds(target: RunTarget, workers: boolean, read: string[] = []): PermissionNeeds {
  const needs = hostNeeds(workers);
  addLocation(needs, target.project, true);
  for (const r of read) addLocation(needs, r);
  return needs;
}

/** `plugin install` of every method the config names (`<id>@<range>`). */
function installCommands(target: RunTarget): PipelineCommand[] {
  const c = target.config;
  const methods = [c.stitching, c.segmentation, c.featurization, c.selection]
    .map((step) => step?.method).filter((m): m is string => m !== undefined);
  return [...new Set(methods)].map((method) => ({
    args: [
      "plugin",
      "install",
      method,
      "--project",
      target.project,
      ...(target.registry ? ["--registry", target.registry] : []),
      ...(target.trust ?? []).flatMap((t) => ["--trust", t]),
    ],
    needs: installNeeds({
      registry: target.registry ?? join(REPO_ROOT, "registry"), // install's default
      project: target.project,
      cacheRoot: target.cacheRoot,
      trust: target.trust,
    }),
  }));
}

/**
 * The pipeline for `target` as the commands that exist today — `init`, `plugin install` per
 * method, `load` (when inputs are given), `segment`, `extract` (when the config has those
 * steps) — each with exactly the permissions it needs. There is no single `run` command yet;
 * {@link runNeeds} is the union, for one process that runs everything.
 */
export function pipelineCommands(target: RunTarget): PipelineCommand[] {
  const out: PipelineCommand[] = [];
  const init = projectNeeds(target, false, [target.configSource]);
  out.push({ args: ["init", target.project, "--config", target.configSource], needs: init });
  out.push(...installCommands(target));
  if (target.inputs.length > 0) {
    const zarrs = target.inputs.filter((i) => /^https?:\/\//i.test(i) || /\.zarr\/?$/i.test(i));
    if (zarrs.length > 0 && target.inputs.length > 1) {
      throw new ScportraitError(
        "USAGE",
        `Inputs ${target.inputs.join(", ")}: load takes TIFF files (one per channel) or one ` +
          "OME-Zarr store (path or https:// URL), not both; give --input accordingly.",
      );
    }
    const zarr = zarrs[0];
    const inputArgs = zarr ? ["--ome-zarr", zarr] : target.inputs.flatMap((i) => ["--tif", i]);
    const read = zarr ? [zarr] : target.inputs;
    out.push({
      args: ["load", target.project, ...inputArgs],
      needs: projectNeeds(target, true, read),
    });
  }
  if (target.config.segmentation) {
    const needs = projectNeeds(target, true, [target.cacheRoot]);
    needs.read.push(FIRST_PARTY_KEY_PATH, ...(target.trust ?? []));
    const trust = (target.trust ?? []).flatMap((t) => ["--trust", t]);
    out.push({ args: ["segment", target.project, ...trust], needs });
  }
  if (target.config.extraction) {
    const needs = projectNeeds(target, true);
    needs.env = true; // h5wasm fails unless --allow-env is unscoped (toolchain-data.md §6)
    out.push({ args: ["extract", target.project], needs });
  }
  return out.map((c) => ({ args: c.args, needs: mergeNeeds(c.needs) }));
}

/** The least-privilege `deno run …` line of one command, shell-quoted. */
export function commandLine(command: PipelineCommand): string {
  const args = [
    "deno",
    "run",
    `--config=${join(REPO_ROOT, "deno.json")}`,
    ...permissionFlags(command.needs),
    join(REPO_ROOT, "cli.ts"),
    ...command.args,
  ];
  return args.map(quote).join(" ");
}

/**
 * The exact least-privilege `deno run …` lines that run `target`'s config, one per pipeline
 * command (see {@link pipelineCommands}), after a comment line saying so; steps without a
 * command yet (featurization, selection, stitching) are named in a closing comment.
 */
export function permissionsFor(target: RunTarget): string {
  const lines = [
    "# One line per pipeline command; each grants only what that command needs.",
    ...pipelineCommands(target).map(commandLine),
  ];
  const c = target.config;
  const later = [["stitching", c.stitching], ["featurization", c.featurization], [
    "selection",
    c.selection,
  ]].filter(([, step]) => step !== undefined).map(([name]) => name);
  if (later.length > 0) {
    lines.push(`# ${later.join(", ")}: no command yet; the plugins are installed above.`);
  }
  const load = pipelineCommands(target).find((c) => c.args[0] === "load")?.args.slice(2) ?? [];
  const registry = target.registry ? ["--registry", target.registry] : [];
  lines.push(
    "# Or all of it in one process (`run`, the union of the above):",
    commandLine({
      args: ["run", target.project, "--config", target.configSource, ...load, ...registry],
      needs: runNeeds(target),
    }),
  );
  return lines.join("\n");
}

/** What `plugin install` touches. */
export interface InstallTarget {
  /** Registry (path or URL) or package folder. */
  registry: string;
  /** Project folder (its `scportrait.lock` is written). */
  project: string;
  /** Plugin cache root (written). */
  cacheRoot: string;
  /** Extra trusted public key files. */
  trust?: string[];
  /** Extra CA certificate files for an `https://` registry. */
  caCerts?: string[];
}

/** The permission needs of `plugin install` (and `plugin verify`) for `target`. */
export function installNeeds(target: InstallTarget): PermissionNeeds {
  const needs = noNeeds();
  addLocation(needs, target.registry);
  addLocation(needs, target.project, true);
  addLocation(needs, target.cacheRoot, true);
  needs.read.push(FIRST_PARTY_KEY_PATH, ...(target.trust ?? []), ...(target.caCerts ?? []));
  needs.read.push(join(REPO_ROOT, "core"), join(REPO_ROOT, "node_modules"));
  needs.env = [...HOST_ENV_VARS, ...YAML_ENV_VARS];
  return mergeNeeds(needs);
}
