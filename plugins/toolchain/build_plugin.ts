/**
 * Builds one AssemblyScript plugin folder into `build/component.wasm`:
 * generated entry → asc (pinned flags) → binaryen export renaming → componentEmbed +
 * componentNew → check that the component imports nothing.
 * @module
 */

import { join, relative, resolve } from "node:path";
import { ScportraitError } from "../../core/errors.ts";
import { parseManifest } from "../../core/registry/manifest.ts";
import { compileAssemblyScript } from "./compile_as.ts";
import { componentize, witOfComponent } from "./componentize.ts";
import { exportRenames } from "./core_exports.ts";
import { entrySource } from "./entry_source.ts";
import { renameExports } from "./rename_exports.ts";
import { type PluginKind, readWitSource, WIT_PACKAGE } from "./wit_source.ts";

/** What the build needs from `manifest.yaml`. */
export interface PluginIdentity {
  /** Plugin id, e.g. `threshold-segmentation`. */
  id: string;
  /** SemVer version. */
  version: string;
  /** Which world it implements. */
  world: PluginKind;
}

/** Outcome of building one plugin. */
export interface BuiltPlugin extends PluginIdentity {
  /** The plugin folder. */
  dir: string;
  /** Path of the written component. */
  componentPath: string;
  /** Component bytes. */
  component: Uint8Array;
  /** Lower-case hex sha256 of the component. */
  sha256: string;
  /** Wall time of the build in ms. */
  ms: number;
}

/** Reads and validates `<dir>/manifest.yaml` (sha256 may still be null in a source folder). */
export function readPluginIdentity(dir: string): PluginIdentity {
  const path = join(dir, "manifest.yaml");
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (cause) {
    throw new ScportraitError(
      "MANIFEST_INVALID",
      `Cannot read "${path}": a plugin folder needs a manifest.yaml (docs/readme/registry.md)`,
      { cause },
    );
  }
  const m = parseManifest(text, path, { requireSha256: false });
  return { id: m.id, version: m.version, world: m.world };
}

/** SHA-256 of `bytes` as lower-case hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Throws `PLUGIN_INVALID` when the component's WIT shows any import. */
export async function assertNoImports(component: Uint8Array, label: string): Promise<void> {
  const wit = await witOfComponent(component);
  const imports = wit.split("\n").filter((l) => /^\s*import\s/.test(l));
  if (imports.length > 0) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `${label} imports ${imports.map((l) => l.trim()).join("; ")}; plugins must import nothing ` +
        `(avoid console.log, Math.random, Date and other host functions)`,
    );
  }
}

/**
 * Builds the AssemblyScript plugin in `dir` (a folder of `projectRoot/plugins/`) and writes
 * `dir/build/component.wasm`. The output depends only on the sources, the WIT and the pinned
 * tool versions.
 */
export async function buildPlugin(dir: string, projectRoot: string): Promise<BuiltPlugin> {
  const t0 = performance.now();
  const root = resolve(projectRoot);
  const abs = resolve(dir);
  const identity = readPluginIdentity(abs);
  const pluginSource = join(abs, "assembly", "plugin.ts");
  try {
    Deno.statSync(pluginSource);
  } catch (cause) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `"${pluginSource}" is missing: an AssemblyScript plugin exports its methods from it`,
      { cause },
    );
  }
  const buildDir = join(abs, "build");
  Deno.mkdirSync(buildDir, { recursive: true });
  const entryPath = join(buildDir, "entry.ts");
  Deno.writeTextFileSync(
    entryPath,
    entrySource(identity.world, { ...identity, wit: WIT_PACKAGE }),
  );
  const core = await compileAssemblyScript(relative(root, entryPath), root);
  const renamed = renameExports(core, exportRenames(identity.world));
  const worldName = `${identity.world}-plugin`;
  const component = await componentize(renamed, readWitSource(join(root, "wit")), worldName);
  await assertNoImports(component, `Plugin "${identity.id}"`);
  const componentPath = join(buildDir, "component.wasm");
  Deno.writeFileSync(componentPath, component);
  return {
    ...identity,
    dir: abs,
    componentPath,
    component,
    sha256: await sha256Hex(component),
    ms: performance.now() - t0,
  };
}
