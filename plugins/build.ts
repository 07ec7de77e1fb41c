/**
 * `deno task build:plugins [folder…]`: builds every AssemblyScript plugin folder of `plugins/`
 * (those with `manifest.yaml` and `assembly/plugin.ts`) into `<folder>/build/component.wasm`
 * and prints id, version, size, build time and sha256 per plugin.
 * @module
 */

import { join, resolve } from "node:path";
import { Progress } from "../core/ui/progress.ts";
import { buildPlugin, type BuiltPlugin } from "./toolchain/build_plugin.ts";

/** Folders of `pluginsDir` that hold an AssemblyScript plugin, sorted by name. */
export function listPluginFolders(pluginsDir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(pluginsDir)) {
    if (!e.isDirectory) continue;
    const dir = join(pluginsDir, e.name);
    try {
      Deno.statSync(join(dir, "manifest.yaml"));
      Deno.statSync(join(dir, "assembly", "plugin.ts"));
      out.push(dir);
    } catch {
      // not a plugin folder (sdk/, toolchain/)
    }
  }
  return out.sort();
}

/** Builds the named folders (default: all) of `projectRoot/plugins`. */
export async function buildAllPlugins(
  projectRoot: string,
  folders?: string[],
): Promise<BuiltPlugin[]> {
  const pluginsDir = join(projectRoot, "plugins");
  const dirs = folders?.length
    ? folders.map((f) => resolve(pluginsDir, f))
    : listPluginFolders(pluginsDir);
  const progress = new Progress("build plugins", { total: dirs.length, unit: "plugins" });
  const built: BuiltPlugin[] = [];
  for (const dir of dirs) {
    built.push(await buildPlugin(dir, projectRoot));
    progress.advance();
  }
  progress.finish();
  return built;
}

if (import.meta.main) {
  const root = resolve(new URL("..", import.meta.url).pathname);
  const t0 = performance.now();
  const built = await buildAllPlugins(root, Deno.args);
  for (const b of built) {
    console.log(
      `${b.id}@${b.version} (${b.world})  ${b.component.length} B  ${b.ms.toFixed(0)} ms  ` +
        `sha256 ${b.sha256}`,
    );
  }
  console.log(`built ${built.length} plugin(s) in ${(performance.now() - t0).toFixed(0)} ms`);
}
