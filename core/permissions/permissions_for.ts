/**
 * `permissionsFor`: the least-privilege `deno run` line for running a config — reads scoped to
 * the config, inputs, project, plugin cache, trusted keys and the host's own code and
 * node_modules (wasm and worker files are read at run time); writes scoped to the project;
 * network only to the hosts of remote inputs, config and registry; env scoped unless the h5wasm
 * writer (extraction) needs it unscoped (toolchain-data.md §6).
 * @module
 */
import { join } from "node:path";
import type { PipelineConfig } from "../config/pipeline_config.ts";
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

/** The permission needs of `scportrait run` for `target`. */
export function runNeeds(target: RunTarget): PermissionNeeds {
  const needs = noNeeds();
  addLocation(needs, target.configSource);
  for (const input of target.inputs) addLocation(needs, input);
  addLocation(needs, target.project, true);
  addLocation(needs, target.cacheRoot);
  if (target.registry) addLocation(needs, target.registry);
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

/**
 * The exact least-privilege `deno run …` command line that runs `target`'s config
 * (`cli.ts run --config … --project … --input …`), as one shell-quoted string.
 */
export function permissionsFor(target: RunTarget): string {
  const flags = permissionFlags(runNeeds(target));
  const args = [
    "deno",
    "run",
    `--config=${join(REPO_ROOT, "deno.json")}`,
    ...flags,
    join(REPO_ROOT, "cli.ts"),
    "run",
    "--config",
    target.configSource,
    "--project",
    target.project,
    ...target.inputs.flatMap((i) => ["--input", i]),
  ];
  return args.map(quote).join(" ");
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
