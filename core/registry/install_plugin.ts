/**
 * `installPlugin`: resolve `id@range` in a registry (or take a package folder), verify every
 * byte (sha256 against index and manifest, Ed25519 signature) before anything is compiled, run
 * the test vectors in the sandbox, store the package in the content-addressed cache and pin it
 * in the project's `scportrait.lock`. A refused package leaves cache and lockfile untouched.
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ScportraitError } from "../errors.ts";
import { Progress } from "../ui/progress.ts";
import type { TrustedKey } from "./ed25519.ts";
import { type LockEntry, pinPlugin } from "./lockfile.ts";
import { manifestRef } from "./manifest.ts";
import { defaultCacheRoot, storeInCache } from "./plugin_cache.ts";
import { parseRegistryIndex } from "./registry_index.ts";
import { openRegistry } from "./registry_source.ts";
import { parsePluginRequest, resolveVersion } from "./resolve_version.ts";
import { runTestVectors, type TestVectorResult } from "./run_test_vectors.ts";
import { type PackageReader, type VerifiedPackage, verifyPackage } from "./verify_package.ts";

/** Options of {@link installPlugin}. */
export interface InstallOptions {
  /** `id@range` (or bare `id`), or a path to a package folder (starting with `.` or `/`). */
  spec: string;
  /** Registry folder or URL (default: the repository's `registry/`). */
  registry?: string;
  /** Project folder whose `scportrait.lock` pins the plugin (default: the current folder). */
  project?: string;
  /** Trusted publisher keys. */
  trustedKeys: readonly TrustedKey[];
  /** Accept an unsigned package. */
  allowUnsigned?: boolean;
  /** Cache root (default {@link defaultCacheRoot}). */
  cacheRoot?: string;
  /** Run the test vectors (default true). */
  runTests?: boolean;
  /** Show progress (default true). */
  progress?: boolean;
  /** Extra CA certificates (PEM) trusted for an `https://` registry (`--ca-cert`). */
  caCerts?: readonly string[];
}

/** What {@link installPlugin} did. */
export interface InstallResult {
  /** The verified package. */
  package: VerifiedPackage;
  /** The lockfile entry written. */
  lock: LockEntry;
  /** The cache entry folder. */
  cacheDir: string;
  /** Test vector outcomes (all passed). */
  tests: TestVectorResult[];
}

/** The repository's own static registry folder, the default `--registry`. */
export const DEFAULT_REGISTRY: string = new URL("../../registry/", import.meta.url).href;

/** True when `spec` names a package folder rather than `id@range`. */
export function isPackagePath(spec: string): boolean {
  return spec.startsWith(".") || isAbsolute(spec) || spec.includes("/");
}

async function fetchVerified(
  options: InstallOptions,
): Promise<{ pkg: VerifiedPackage; registry: string }> {
  const verify = { trustedKeys: options.trustedKeys, allowUnsigned: options.allowUnsigned };
  if (isPackagePath(options.spec)) {
    const dir = resolve(options.spec);
    const source = openRegistry(dir);
    const read: PackageReader = (p) => source.readOptional(p);
    return { pkg: await verifyPackage(read, dir, {}, verify), registry: pathToFileURL(dir).href };
  }
  const request = parsePluginRequest(options.spec);
  const source = openRegistry(options.registry ?? DEFAULT_REGISTRY, { caCerts: options.caCerts });
  try {
    const indexText = new TextDecoder().decode(await source.read("index.json"));
    const index = parseRegistryIndex(indexText, `${source.location}/index.json`);
    const { version, entry } = resolveVersion(index, request, source.location);
    const read: PackageReader = (p) => source.readOptional(`${entry.path}/${p}`);
    const label = `${source.location.replace(/\/$/, "")}/${entry.path}`;
    const pkg = await verifyPackage(read, label, { id: request.id, version, entry }, verify);
    const registry = source.remote ? source.location : pathToFileURL(source.location).href;
    return { pkg, registry };
  } finally {
    source.close();
  }
}

/** Throws `PLUGIN_FAILED` listing the failed vectors, if any failed. */
export function assertTestsPassed(ref: string, tests: TestVectorResult[]): void {
  const failed = tests.filter((t) => !t.passed);
  if (failed.length > 0) {
    throw new ScportraitError(
      "PLUGIN_FAILED",
      `Plugin ${ref} failed ${failed.length} of ${tests.length} test vector(s): ` +
        failed.map((t) => `${t.name}: ${t.detail}`).join("; ") + ". It was not installed.",
    );
  }
}

/**
 * Installs a plugin (see the module doc). Rejects with `INTEGRITY_ERROR`, `SIGNATURE_ERROR`,
 * `REGISTRY_ERROR`, `MANIFEST_INVALID`, `PLUGIN_*` (component refused or a test vector failed)
 * or `WRITE_FAILED`; after a rejection the cache and the lockfile are as they were.
 */
export async function installPlugin(options: InstallOptions): Promise<InstallResult> {
  const progress = new Progress(`install ${options.spec}`, {
    total: 4,
    unit: "steps",
    quiet: options.progress === false,
  });
  try {
    const { pkg, registry } = await fetchVerified(options);
    progress.advance();
    const ref = manifestRef(pkg.manifest);
    const tests = options.runTests === false ? [] : await runTestVectors(
      pkg.manifest,
      pkg.component,
      (p) => Promise.resolve(pkg.files.get(p)!),
    );
    assertTestsPassed(ref, tests);
    progress.advance();
    const sha = pkg.manifest.artifact.sha256!;
    const cacheDir = await storeInCache(options.cacheRoot ?? defaultCacheRoot(), sha, pkg.files);
    progress.advance();
    const lock: LockEntry = {
      version: pkg.manifest.version,
      sha256: sha,
      manifest_sha256: pkg.manifestSha256,
      registry,
      signed_by: pkg.signer?.fingerprint ?? null,
    };
    await pinPlugin(options.project ?? Deno.cwd(), pkg.manifest.id, lock);
    progress.advance();
    return { package: pkg, lock, cacheDir, tests };
  } finally {
    progress.finish();
  }
}

/** Reads a cached package's files by package path (for {@link verifyPackage}). */
export function cacheReader(cacheDir: string): PackageReader {
  return async (p) => {
    try {
      return await Deno.readFile(join(cacheDir, p));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  };
}
