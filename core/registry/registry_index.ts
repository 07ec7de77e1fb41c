/**
 * A static registry's `index.json`: `{format, packages: {<id>: {versions: {<version>:
 * {sha256, manifest_sha256, path}}}}}`. Parsed with checks (the index is not signed, so every
 * entry is verified later against the signed manifest) and written deterministically.
 * @module
 */
import { PLUGIN_ID_PATTERN } from "../config/json_schema.ts";
import { compareVersions, isValidVersion } from "../config/semver.ts";
import { ScportraitError } from "../errors.ts";
import { SHA256_PATTERN } from "./manifest_schema.ts";
import { packagePathProblem } from "./package_path.ts";

/** The `format` value of this index layout. */
export const REGISTRY_FORMAT = "scportrait-registry/1";

/** One published version. */
export interface IndexEntry {
  /** sha256 of the component. */
  sha256: string;
  /** sha256 of the exact `manifest.yaml` bytes. */
  manifest_sha256: string;
  /** Package folder relative to the registry root, `packages/<id>/<version>`. */
  path: string;
}

/** A registry index. */
export interface RegistryIndex {
  /** Layout version, {@link REGISTRY_FORMAT}. */
  format: string;
  /** id → versions. */
  packages: Record<string, { versions: Record<string, IndexEntry> }>;
}

const SHA = new RegExp(SHA256_PATTERN);

/** Parses and checks `index.json` text; throws `REGISTRY_ERROR` naming `source` and the key. */
export function parseRegistryIndex(text: string, source: string): RegistryIndex {
  const fail = (what: string): never => {
    throw new ScportraitError(
      "REGISTRY_ERROR",
      `Registry index ${source} is invalid: ${what}. Rebuild it with \`scportrait registry build\`.`,
    );
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(`not JSON (${(error as Error).message})`);
  }
  const obj = value as Partial<RegistryIndex> | null;
  if (typeof obj !== "object" || obj === null) return fail("not a JSON object");
  if (obj.format !== REGISTRY_FORMAT) {
    fail(`format is ${JSON.stringify(obj.format)}, expected "${REGISTRY_FORMAT}"`);
  }
  if (typeof obj.packages !== "object" || obj.packages === null) fail("packages is missing");
  for (const [id, pkg] of Object.entries(obj.packages!)) {
    if (!PLUGIN_ID_PATTERN.test(id)) fail(`packages key ${JSON.stringify(id)} is not a plugin id`);
    if (typeof pkg?.versions !== "object" || pkg.versions === null) {
      fail(`packages.${id}.versions is missing`);
    }
    for (const [version, e] of Object.entries(pkg.versions)) {
      const at = `packages.${id}.versions.${version}`;
      if (!isValidVersion(version)) fail(`${at}: ${JSON.stringify(version)} is not SemVer`);
      if (typeof e?.sha256 !== "string" || !SHA.test(e.sha256)) fail(`${at}.sha256 is not hex`);
      if (typeof e.manifest_sha256 !== "string" || !SHA.test(e.manifest_sha256)) {
        fail(`${at}.manifest_sha256 is not hex`);
      }
      const problem = typeof e.path === "string" ? packagePathProblem(e.path) : "not a string";
      if (problem !== undefined) fail(`${at}.path is ${problem}`);
    }
  }
  return obj as RegistryIndex;
}

/** Serialises an index deterministically: ids by name, versions by SemVer, fixed key order. */
export function formatRegistryIndex(index: RegistryIndex): string {
  const packages: RegistryIndex["packages"] = {};
  for (const id of Object.keys(index.packages).sort()) {
    const versions: Record<string, IndexEntry> = {};
    const names = Object.keys(index.packages[id].versions).sort(compareVersions);
    for (const v of names) {
      const e = index.packages[id].versions[v];
      versions[v] = { sha256: e.sha256, manifest_sha256: e.manifest_sha256, path: e.path };
    }
    packages[id] = { versions };
  }
  return JSON.stringify({ format: REGISTRY_FORMAT, packages }, null, 2) + "\n";
}
