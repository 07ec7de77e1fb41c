/**
 * Plugins a project has pinned: open one from the cache re-verifying every byte against
 * `scportrait.lock` (sha256, manifest sha256, signer), optionally re-running its test vectors.
 * This is what steps call before they compile a plugin, and what `plugin verify` runs.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import type { TrustedKey } from "./ed25519.ts";
import { assertTestsPassed, cacheReader } from "./install_plugin.ts";
import { type LockEntry, readLockfile } from "./lockfile.ts";
import { manifestRef } from "./manifest.ts";
import { cacheEntryDir, defaultCacheRoot } from "./plugin_cache.ts";
import { runTestVectors, type TestVectorResult } from "./run_test_vectors.ts";
import { type VerifiedPackage, verifyPackage } from "./verify_package.ts";

/** Options of {@link openInstalledPlugin}. */
export interface OpenInstalledOptions {
  /** Project folder holding `scportrait.lock`. */
  project: string;
  /** Keys trusted for signatures (the pinned signer must be among them). */
  trustedKeys: readonly TrustedKey[];
  /** Cache root (default: the user's plugin cache). */
  cacheRoot?: string;
  /** Re-run the test vectors (default false). */
  runTests?: boolean;
}

/** A pinned plugin, verified again from the cache. */
export interface InstalledPlugin {
  /** The lockfile entry. */
  lock: LockEntry;
  /** The verified package. */
  package: VerifiedPackage;
  /** Cache folder of the package. */
  cacheDir: string;
  /** Test vector outcomes (empty unless `runTests`). */
  tests: TestVectorResult[];
}

/** The lock entry of `id` in `project`; throws `PLUGIN_INVALID` naming the install command. */
export async function lockedEntry(project: string, id: string): Promise<LockEntry> {
  const lock = await readLockfile(project);
  const entry = Object.hasOwn(lock.plugins, id) ? lock.plugins[id] : undefined;
  if (!entry) {
    const pinned = Object.keys(lock.plugins).join(", ") || "none";
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Plugin ${id} is not installed in project ${project} (pinned: ${pinned}). Run ` +
        `\`scportrait plugin install ${id}@<range> --project ${project}\`.`,
    );
  }
  return entry;
}

/**
 * Opens plugin `id` pinned in the project's lockfile from the cache, verifying manifest and
 * component sha256 against the lock and the signature against the pinned signer, before
 * anything is compiled. Throws `INTEGRITY_ERROR`, `SIGNATURE_ERROR`, `PLUGIN_INVALID` (not
 * installed, or missing from the cache) or `PLUGIN_FAILED` (a test vector failed).
 */
export async function openInstalledPlugin(
  id: string,
  options: OpenInstalledOptions,
): Promise<InstalledPlugin> {
  const lock = await lockedEntry(options.project, id);
  const cacheDir = cacheEntryDir(options.cacheRoot ?? defaultCacheRoot(), lock.sha256);
  const read = cacheReader(cacheDir);
  if ((await read("manifest.yaml")) === undefined) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Plugin ${id}@${lock.version} is pinned but not in the cache (${cacheDir}). Reinstall it ` +
        `with \`scportrait plugin install ${id}@${lock.version}\`.`,
    );
  }
  const keys = lock.signed_by === null
    ? options.trustedKeys
    : options.trustedKeys.filter((k) => k.fingerprint === lock.signed_by);
  if (lock.signed_by !== null && keys.length === 0) {
    throw new ScportraitError(
      "SIGNATURE_ERROR",
      `Plugin ${id} was installed signed by key ${lock.signed_by}, which is not trusted now. ` +
        "Pass its public key with --trust <pem>.",
    );
  }
  const pkg = await verifyPackage(
    read,
    cacheDir,
    { id, version: lock.version, entry: lock },
    { trustedKeys: keys, allowUnsigned: lock.signed_by === null },
  );
  const tests = options.runTests
    ? await runTestVectors(pkg.manifest, pkg.component, (p) => Promise.resolve(pkg.files.get(p)!))
    : [];
  assertTestsPassed(manifestRef(pkg.manifest), tests);
  return { lock, package: pkg, cacheDir, tests };
}
