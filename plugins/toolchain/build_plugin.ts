/**
 * Builds one AssemblyScript plugin folder into `build/component.wasm`:
 * generated entry → asc (pinned flags) → binaryen export renaming → componentEmbed +
 * componentNew → check that the component imports nothing.
 * @module
 */

import { join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ScportraitError } from "../../core/errors.ts";
import { compileAssemblyScript } from "./compile_as.ts";
import { componentize, witOfComponent } from "./componentize.ts";
import { exportRenames } from "./core_exports.ts";
import { entrySource } from "./entry_source.ts";
import { renameExports } from "./rename_exports.ts";
import { isPluginKind, type PluginKind, readWitSource, WIT_PACKAGE } from "./wit_source.ts";

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

/** Reads and checks the fields of `<dir>/manifest.yaml` the build needs. */
export function readPluginIdentity(dir: string): PluginIdentity {
  const path = join(dir, "manifest.yaml");
  let doc: unknown;
  try {
    doc = parseYaml(Deno.readTextFileSync(path));
  } catch (cause) {
    throw new ScportraitError(
      "MANIFEST_INVALID",
      `Cannot read "${path}": ${cause instanceof Error ? cause.message : cause}`,
      { cause },
    );
  }
  const m = (doc ?? {}) as Record<string, unknown>;
  const bad = (key: string, want: string) =>
    new ScportraitError("MANIFEST_INVALID", `"${path}": key "${key}" must be ${want}`);
  if (typeof m.id !== "string" || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(m.id)) {
    throw bad("id", "lower-case letters, digits and dashes");
  }
  if (typeof m.version !== "string" || !/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(m.version)) {
    throw bad("version", "a SemVer version such as 0.1.0");
  }
  if (!isPluginKind(m.world)) {
    throw bad("world", "one of segmentation, featurization, selection, stitching");
  }
  if (m.wit !== undefined && m.wit !== WIT_PACKAGE) throw bad("wit", `"${WIT_PACKAGE}"`);
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
