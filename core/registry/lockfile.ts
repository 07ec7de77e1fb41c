/**
 * The project's `scportrait.lock`: the exact plugin versions a project runs, pinned by id with
 * version, component sha256, manifest sha256, registry and signer. JSON, keys sorted, written
 * atomically.
 * @module
 */
import { join } from "node:path";
import { PLUGIN_ID_PATTERN } from "../config/json_schema.ts";
import { isValidVersion } from "../config/semver.ts";
import { ScportraitError } from "../errors.ts";
import { writeFileAtomic } from "../io/atomic_file.ts";
import { SHA256_PATTERN } from "./manifest_schema.ts";

/** File name of the lockfile inside a project folder. */
export const LOCKFILE_NAME = "scportrait.lock";
/** Current `lockfile_version`. */
export const LOCKFILE_VERSION = 1;

/** One pinned plugin. */
export interface LockEntry {
  /** Exact SemVer version. */
  version: string;
  /** sha256 of the component (also its cache address). */
  sha256: string;
  /** sha256 of the exact `manifest.yaml` bytes. */
  manifest_sha256: string;
  /** Registry folder or URL it came from (or the package folder). */
  registry: string;
  /** Fingerprint of the publisher key that signed the manifest; null when installed unsigned. */
  signed_by: string | null;
}

/** The lockfile's content. */
export interface Lockfile {
  /** Format version, {@link LOCKFILE_VERSION}. */
  lockfile_version: number;
  /** Plugin id → pinned entry. */
  plugins: Record<string, LockEntry>;
}

const SHA = new RegExp(SHA256_PATTERN);

function checkLockfile(value: unknown, path: string): Lockfile {
  const fail = (what: string): never => {
    throw new ScportraitError(
      "LOCKFILE_INVALID",
      `${path} is invalid: ${what}. Restore it from version control or reinstall the plugins ` +
        "with `scportrait plugin install`.",
    );
  };
  const lock = value as Partial<Lockfile> | null;
  if (typeof lock !== "object" || lock === null) return fail("not a JSON object");
  if (lock.lockfile_version !== LOCKFILE_VERSION) {
    fail(`lockfile_version is ${JSON.stringify(lock.lockfile_version)}, expected 1`);
  }
  if (typeof lock.plugins !== "object" || lock.plugins === null) fail("plugins is missing");
  for (const [id, e] of Object.entries(lock.plugins!)) {
    if (!PLUGIN_ID_PATTERN.test(id)) fail(`plugins key ${JSON.stringify(id)} is not a plugin id`);
    if (typeof e?.version !== "string" || !isValidVersion(e.version)) {
      fail(`plugins.${id}.version is not SemVer`);
    }
    if (typeof e.sha256 !== "string" || !SHA.test(e.sha256)) fail(`plugins.${id}.sha256`);
    if (typeof e.manifest_sha256 !== "string" || !SHA.test(e.manifest_sha256)) {
      fail(`plugins.${id}.manifest_sha256 is not hex`);
    }
    if (typeof e.registry !== "string") fail(`plugins.${id}.registry is not a string`);
    if (e.signed_by !== null && typeof e.signed_by !== "string") {
      fail(`plugins.${id}.signed_by is not a string or null`);
    }
  }
  return lock as Lockfile;
}

/** Reads `<projectDir>/scportrait.lock`; an absent file is an empty lockfile. */
export async function readLockfile(projectDir: string): Promise<Lockfile> {
  const path = join(projectDir, LOCKFILE_NAME);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { lockfile_version: LOCKFILE_VERSION, plugins: {} };
    }
    throw new ScportraitError(
      "LOCKFILE_INVALID",
      `Cannot read ${path}: ${(error as Error).message}.`,
      { cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ScportraitError(
      "LOCKFILE_INVALID",
      `${path} is not JSON (${(error as Error).message}).`,
      { cause: error },
    );
  }
  return checkLockfile(value, path);
}

/** Serialises a lockfile deterministically (ids sorted, fixed key order, trailing newline). */
export function formatLockfile(lock: Lockfile): string {
  const plugins: Record<string, LockEntry> = {};
  for (const id of Object.keys(lock.plugins).sort()) {
    const e = lock.plugins[id];
    plugins[id] = {
      version: e.version,
      sha256: e.sha256,
      manifest_sha256: e.manifest_sha256,
      registry: e.registry,
      signed_by: e.signed_by,
    };
  }
  return JSON.stringify({ lockfile_version: LOCKFILE_VERSION, plugins }, null, 2) + "\n";
}

/** Writes `<projectDir>/scportrait.lock` atomically (temp file + fsync + rename). */
export async function writeLockfile(projectDir: string, lock: Lockfile): Promise<void> {
  await writeFileAtomic(join(projectDir, LOCKFILE_NAME), formatLockfile(lock));
}

/** Pins (or re-pins) one plugin in the project's lockfile; returns the updated lockfile. */
export async function pinPlugin(
  projectDir: string,
  id: string,
  entry: LockEntry,
): Promise<Lockfile> {
  const lock = await readLockfile(projectDir);
  lock.plugins[id] = entry;
  await writeLockfile(projectDir, lock);
  return lock;
}

/** Removes a plugin from the lockfile; resolves to false when it was not pinned. */
export async function unpinPlugin(projectDir: string, id: string): Promise<boolean> {
  const lock = await readLockfile(projectDir);
  if (!(id in lock.plugins)) return false;
  delete lock.plugins[id];
  await writeLockfile(projectDir, lock);
  return true;
}
