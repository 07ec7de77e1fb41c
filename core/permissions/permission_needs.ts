/**
 * The Deno permissions a run of the host needs: which paths it reads and writes, which hosts
 * it contacts and which environment variables it reads. Derived from the command's inputs
 * (config, project, images, registry, cache), never guessed.
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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
