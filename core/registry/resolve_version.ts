/**
 * Resolves `id@range` against a registry index to the highest matching version.
 * @module
 */
import { PLUGIN_ID_PATTERN } from "../config/json_schema.ts";
import { isValidRange, maxSatisfying } from "../config/semver.ts";
import { ScportraitError } from "../errors.ts";
import type { IndexEntry, RegistryIndex } from "./registry_index.ts";

/** A parsed `id@range` request. */
export interface PluginRequest {
  /** Plugin id. */
  id: string;
  /** SemVer range (`*` when none was given). */
  range: string;
}

/** Parses `id@range` (or a bare `id`, meaning any version); throws `USAGE` when malformed. */
export function parsePluginRequest(text: string): PluginRequest {
  const at = text.indexOf("@");
  const id = at < 0 ? text : text.slice(0, at);
  const range = at < 0 ? "*" : text.slice(at + 1);
  if (!PLUGIN_ID_PATTERN.test(id) || !isValidRange(range)) {
    throw new ScportraitError(
      "USAGE",
      `"${text}" is not <plugin-id>@<semver-range> (e.g. threshold-segmentation@^0.1.0); ids ` +
        "are lower-case letters, digits and -.",
    );
  }
  return { id, range };
}

/**
 * The highest version of `request.id` in `index` satisfying `request.range`, with its entry.
 * Throws `REGISTRY_ERROR` naming the available versions when none matches.
 */
export function resolveVersion(
  index: RegistryIndex,
  request: PluginRequest,
  registry: string,
): { version: string; entry: IndexEntry } {
  const pkg = Object.hasOwn(index.packages, request.id) ? index.packages[request.id] : undefined;
  if (!pkg) {
    const ids = Object.keys(index.packages).sort().join(", ") || "none";
    throw new ScportraitError(
      "REGISTRY_ERROR",
      `Registry ${registry} has no plugin "${request.id}" (it has: ${ids}).`,
    );
  }
  const versions = Object.keys(pkg.versions);
  const version = maxSatisfying(versions, request.range);
  if (version === undefined) {
    throw new ScportraitError(
      "REGISTRY_ERROR",
      `No version of ${request.id} in ${registry} satisfies "${request.range}" (available: ` +
        `${versions.join(", ") || "none"}).`,
    );
  }
  return { version, entry: pkg.versions[version] };
}
