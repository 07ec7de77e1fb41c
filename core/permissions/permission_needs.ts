/**
 * The Deno permissions a run of the host needs: which paths it reads and writes, which hosts
 * it contacts and which environment variables it reads. Derived from the command's inputs
 * (config, project, images, registry, cache), never guessed.
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CACHE_ENV_VARS, defaultCacheRoot } from "../registry/plugin_cache.ts";
import { FIRST_PARTY_KEY_PATH } from "../registry/trusted_keys.ts";

/** What a command needs; `env: true` means unscoped `--allow-env`. */
export interface PermissionNeeds {
  /** Paths read (files or folders). */
  read: string[];
  /** Paths written (files or folders). */
  write: string[];
  /** Hosts contacted (`host` or `host:port`). */
  net: string[];
  /** Environment variables read, or true for any. */
  env: string[] | true;
}

/** Environment variables the host itself reads. */
export const HOST_ENV_VARS = [
  "SCPORTRAIT_CACHE",
  "XDG_CACHE_HOME",
  "HOME",
  "SCPORTRAIT_REGISTRY",
  "SCPORTRAIT_DEBUG",
] as const;

/** Environment variables the `yaml` package reads (toolchain-data.md §6). */
export const YAML_ENV_VARS = ["LOG_TOKENS", "LOG_STREAM"] as const;

/** The repository root (where `cli.ts`, `deno.json` and `node_modules/` live). */
export const REPO_ROOT: string = fileURLToPath(new URL("../../", import.meta.url)).replace(
  /\/$/,
  "",
);

/** An empty set of needs. */
export function noNeeds(): PermissionNeeds {
  return { read: [], write: [], net: [], env: [] };
}

/** Adds a location (path, `file://` or `http(s)://` URL) as read (or read+write) access. */
export function addLocation(needs: PermissionNeeds, location: string, write = false): void {
  if (/^https?:\/\//i.test(location)) {
    needs.net.push(new URL(location).host);
    return;
  }
  const path = /^file:\/\//i.test(location)
    ? fileURLToPath(location)
    : isAbsolute(location)
    ? location
    : resolve(location);
  needs.read.push(path);
  if (write) needs.write.push(path);
}

/** Merges needs: union of paths and hosts; unscoped env wins. */
export function mergeNeeds(...all: PermissionNeeds[]): PermissionNeeds {
  const out = noNeeds();
  let anyEnv = false;
  const env = new Set<string>();
  for (const n of all) {
    out.read.push(...n.read);
    out.write.push(...n.write);
    out.net.push(...n.net);
    if (n.env === true) anyEnv = true;
    else n.env.forEach((v) => env.add(v));
  }
  out.read = normalisePaths(out.read);
  out.write = normalisePaths(out.write);
  out.net = [...new Set(out.net)].sort();
  out.env = anyEnv ? true : [...env].sort();
  return out;
}

/** Sorted unique paths without any path that lies inside another one of the list. */
export function normalisePaths(paths: string[]): string[] {
  const unique = [...new Set(paths.map((p) => p.replace(/\/+$/, "") || "/"))].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && (q === "/" || p.startsWith(q + "/"))));
}

/** What one CLI command touches, from its command line (see {@link commandNeeds}). */
export interface CommandTarget {
  /** Project folder (read). */
  project?: string;
  /** The command writes into the project (default: read only). */
  writeProject?: boolean;
  /** Other locations read: config, inputs, key or component files (paths or URLs). */
  read?: readonly (string | undefined)[];
  /** Other locations written (and read). */
  write?: readonly (string | undefined)[];
  /** Opens pinned plugins: reads the plugin cache and the first-party publisher key. */
  plugins?: boolean;
  /** Installs plugins: also writes the plugin cache. */
  installs?: boolean;
  /** Starts workers or loads wasm from npm packages: reads the host's core/ and node_modules/. */
  workers?: boolean;
  /** Needs unscoped `--allow-env` (h5wasm, the .h5sc writer). */
  anyEnv?: boolean;
}

function envGranted(variable: string): boolean {
  return Deno.permissions.querySync({ name: "env", variable }).state === "granted";
}

/**
 * The permission needs of one CLI command (`init`, `load`, `status`, `segment`, `extract`,
 * `plugin …`, `registry build`): what {@link CommandTarget} names, plus the environment
 * variables the host reads. The plugin cache root comes from the environment; while those
 * variables are not granted it cannot be known, so only the variables are reported then.
 */
export function commandNeeds(target: CommandTarget): PermissionNeeds {
  const needs = noNeeds();
  if (target.project !== undefined) addLocation(needs, target.project, target.writeProject);
  for (const r of target.read ?? []) if (r !== undefined) addLocation(needs, r);
  for (const w of target.write ?? []) if (w !== undefined) addLocation(needs, w, true);
  if (target.plugins) {
    needs.read.push(FIRST_PARTY_KEY_PATH);
    if (CACHE_ENV_VARS.every(envGranted)) addLocation(needs, defaultCacheRoot(), target.installs);
    if (target.installs) needs.read.push(join(REPO_ROOT, "registry")); // the default registry
  }
  if (target.workers) needs.read.push(join(REPO_ROOT, "core"), join(REPO_ROOT, "node_modules"));
  needs.env = target.anyEnv ? true : [...HOST_ENV_VARS, ...YAML_ENV_VARS];
  return mergeNeeds(needs);
}
