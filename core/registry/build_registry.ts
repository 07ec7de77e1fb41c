/**
 * `buildRegistry`: turns plugin source folders (each with `manifest.yaml`, and `assembly/` for
 * AssemblyScript plugins) into a static registry: builds the components, writes
 * `packages/<id>/<version>/{manifest.yaml, manifest.sig, component.wasm, test/…}` with the
 * manifest's `artifact.sha256` and `files` filled in, signs each manifest (Ed25519 is
 * deterministic, so the same sources and key give the same bytes) and writes `index.json`.
 * Before anything is written, every package's test vectors run through the sandboxed host: a
 * failing plugin is never published. Published versions are immutable: rebuilding one with
 * different bytes is refused.
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { ScportraitError } from "../errors.ts";
import { writeFileAtomic } from "../io/atomic_file.ts";
import { Progress } from "../ui/progress.ts";
import { sha256Hex } from "./digest.ts";
import { signManifest } from "./ed25519.ts";
import { manifestRef, parseManifest, testVectorPaths } from "./manifest.ts";
import { runTestVectors } from "./run_test_vectors.ts";
import {
  formatRegistryIndex,
  type IndexEntry,
  parseRegistryIndex,
  REGISTRY_FORMAT,
  type RegistryIndex,
} from "./registry_index.ts";
import { resolvePackagePath } from "./package_path.ts";

/** File name of the component inside a published package. */
export const PUBLISHED_ARTIFACT = "component.wasm";

/** Options of {@link buildRegistry}. */
export interface BuildRegistryOptions {
  /** Plugin source folders (each with a `manifest.yaml`). */
  plugins: readonly string[];
  /** Registry folder to write (created if absent; an existing index is merged). */
  outDir: string;
  /** Ed25519 private key that signs the manifests; packages are unsigned without one. */
  privateKey?: CryptoKey;
  /** Build AssemblyScript plugins before packaging (default true). */
  build?: boolean;
  /** Repository root holding `wit/` (default: this repository). */
  projectRoot?: string;
  /** Show progress (default true). */
  progress?: boolean;
  /** Allow a published version to change (development only; breaks installed pins). */
  replace?: boolean;
  /** Run each package's test vectors before publishing (default true). */
  runTests?: boolean;
}

/** One package written by {@link buildRegistry}. */
export interface BuiltPackage extends IndexEntry {
  /** Plugin id. */
  id: string;
  /** Version. */
  version: string;
  /** Test vectors that passed before publishing (0 when skipped or none). */
  tests: number;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function componentOf(dir: string, artifactPath: string, options: BuildRegistryOptions) {
  let hasAssembly = false;
  try {
    hasAssembly = (await Deno.stat(join(dir, "assembly", "plugin.ts"))).isFile;
  } catch { /* a prebuilt plugin (e.g. written in C) */ }
  if (hasAssembly && options.build !== false) {
    const { buildPlugin } = await import("../../plugins/toolchain/build_plugin.ts");
    return (await buildPlugin(dir, options.projectRoot ?? REPO_ROOT)).component;
  }
  return await Deno.readFile(resolvePackagePath(dir, artifactPath, `${dir} artifact.path`));
}

/** Builds one package's files (package path → bytes) from a source folder. */
async function packageFiles(
  dir: string,
  options: BuildRegistryOptions,
): Promise<{ id: string; version: string; sha256: string; files: Map<string, Uint8Array> }> {
  const source = join(dir, "manifest.yaml");
  const text = await Deno.readTextFile(source);
  const manifest = parseManifest(text, source, { requireSha256: false });
  const component = await componentOf(dir, manifest.artifact.path, options);
  const sha256 = await sha256Hex(component);
  if (manifest.artifact.sha256 !== null && manifest.artifact.sha256 !== sha256) {
    throw new ScportraitError(
      "INTEGRITY_ERROR",
      `${source} pins artifact.sha256 ${manifest.artifact.sha256} but ${manifest.artifact.path} ` +
        `has ${sha256}. Set it to null to let the registry build fill it in.`,
    );
  }
  const files = new Map<string, Uint8Array>([[PUBLISHED_ARTIFACT, component]]);
  const shas: Record<string, string> = {};
  for (const p of testVectorPaths(manifest).sort()) {
    const bytes = await Deno.readFile(resolvePackagePath(dir, p, `${source} test path`));
    files.set(p, bytes);
    shas[p] = await sha256Hex(bytes);
  }
  const doc = parseDocument(text);
  doc.setIn(["artifact", "path"], PUBLISHED_ARTIFACT);
  doc.setIn(["artifact", "sha256"], sha256);
  doc.set("files", doc.createNode(shas));
  const published = new TextEncoder().encode(doc.toString({ lineWidth: 100 }));
  parseManifest(new TextDecoder().decode(published), `${source} (published)`);
  files.set("manifest.yaml", published);
  if (options.privateKey) {
    files.set(
      "manifest.sig",
      new TextEncoder().encode(await signManifest(options.privateKey, published)),
    );
  }
  return { id: manifest.id, version: manifest.version, sha256, files };
}

/** Runs a built package's test vectors; throws `PLUGIN_FAILED` when one fails. */
async function checkTestVectors(dir: string, files: Map<string, Uint8Array>): Promise<number> {
  const text = new TextDecoder().decode(files.get("manifest.yaml")!);
  const manifest = parseManifest(text, join(dir, "manifest.yaml"));
  const results = await runTestVectors(
    manifest,
    files.get(PUBLISHED_ARTIFACT)!,
    (p) => Promise.resolve(files.get(p)!),
  );
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    throw new ScportraitError(
      "PLUGIN_FAILED",
      `Refusing to publish ${manifestRef(manifest)} from ${dir}: ${failed.length} of ` +
        `${results.length} test vector(s) failed (${
          failed.map((f) => `${f.name}: ${f.detail}`).join("; ")
        }). Fix the plugin or its test files; nothing was written to the registry.`,
    );
  }
  return results.length;
}

async function readIndex(outDir: string): Promise<RegistryIndex> {
  const path = join(outDir, "index.json");
  try {
    return parseRegistryIndex(await Deno.readTextFile(path), path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { format: REGISTRY_FORMAT, packages: {} };
    throw error;
  }
}

async function sameBytes(path: string, bytes: Uint8Array): Promise<boolean> {
  try {
    const old = await Deno.readFile(path);
    return old.length === bytes.length && old.every((b, i) => b === bytes[i]);
  } catch {
    return false;
  }
}

/**
 * Builds, signs, tests and indexes `options.plugins` into `options.outDir` (see the module doc).
 * Resolves to the packages written, in input order. Throws `REGISTRY_ERROR` when a version
 * already in the registry would change and `PLUGIN_FAILED` when a test vector fails; in both
 * cases nothing is written.
 */
export async function buildRegistry(options: BuildRegistryOptions): Promise<BuiltPackage[]> {
  const index = await readIndex(options.outDir);
  const progress = new Progress("registry build", {
    total: options.plugins.length,
    unit: "plugins",
    quiet: options.progress === false,
  });
  // Build, check and test every package first; write only when all of them pass.
  type Ready = { pkg: Awaited<ReturnType<typeof packageFiles>>; sha: string; tests: number };
  const ready: Ready[] = [];
  for (const dir of options.plugins) {
    const pkg = await packageFiles(resolve(dir), options);
    const manifestSha = await sha256Hex(pkg.files.get("manifest.yaml")!);
    const existing = index.packages[pkg.id]?.versions[pkg.version];
    if (existing && existing.manifest_sha256 !== manifestSha && !options.replace) {
      throw new ScportraitError(
        "REGISTRY_ERROR",
        `${pkg.id}@${pkg.version} is already published in ${options.outDir} with other content ` +
          `(manifest sha256 ${existing.manifest_sha256}). Published versions are immutable: ` +
          "bump the version in manifest.yaml.",
      );
    }
    const tests = options.runTests === false ? 0 : await checkTestVectors(resolve(dir), pkg.files);
    ready.push({ pkg, sha: manifestSha, tests });
    progress.advance();
  }
  const built: BuiltPackage[] = [];
  for (const { pkg, sha, tests } of ready) {
    const path = `packages/${pkg.id}/${pkg.version}`;
    for (const [p, bytes] of pkg.files) {
      const target = join(options.outDir, path, p);
      if (await sameBytes(target, bytes)) continue;
      await Deno.mkdir(dirname(target), { recursive: true });
      await writeFileAtomic(target, bytes);
    }
    const entry = { sha256: pkg.sha256, manifest_sha256: sha, path };
    index.packages[pkg.id] ??= { versions: {} };
    index.packages[pkg.id].versions[pkg.version] = entry;
    built.push({ id: pkg.id, version: pkg.version, tests, ...entry });
  }
  await Deno.mkdir(options.outDir, { recursive: true });
  await writeFileAtomic(join(options.outDir, "index.json"), formatRegistryIndex(index));
  progress.finish();
  return built;
}
