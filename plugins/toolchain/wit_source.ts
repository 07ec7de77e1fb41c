/**
 * Reads the project's WIT package (`wit/*.wit`, one file per interface) as one WIT source string,
 * the form `componentEmbed` accepts without file-system access.
 * @module
 */

import { join } from "node:path";
import { ScportraitError } from "../../core/errors.ts";

/** The WIT package name and version every plugin world belongs to. */
export const WIT_PACKAGE = "scportrait:plugin@0.1.0";

/** Plugin kinds (manifest `world`) and the WIT world that implements each. */
export const WORLDS = {
  segmentation: "segmentation-plugin",
  featurization: "featurization-plugin",
  selection: "selection-plugin",
  stitching: "stitching-plugin",
} as const;

/** A manifest `world` value: `segmentation`, `featurization`, `selection` or `stitching`. */
export type PluginKind = keyof typeof WORLDS;

/** True when `kind` names one of the contract's worlds. */
export function isPluginKind(kind: unknown): kind is PluginKind {
  return typeof kind === "string" && Object.hasOwn(WORLDS, kind);
}

/**
 * Concatenates every `*.wit` file of `witDir` (sorted by name) into one source with a single
 * `package` line. Throws `PLUGIN_INVALID` when the files declare different packages.
 */
export function readWitSource(witDir: string): string {
  const names = [...Deno.readDirSync(witDir)]
    .filter((e) => e.isFile && e.name.endsWith(".wit"))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `No .wit files in "${witDir}": point the build at the project's wit/ folder`,
    );
  }
  let body = "";
  for (const name of names) {
    const text = Deno.readTextFileSync(join(witDir, name));
    const match = text.match(/^package\s+([^;\s]+)\s*;\s*$/m);
    if (!match || match[1] !== WIT_PACKAGE) {
      throw new ScportraitError(
        "PLUGIN_INVALID",
        `WIT file "${join(witDir, name)}" must start with "package ${WIT_PACKAGE};", found ${
          match ? `"${match[1]}"` : "no package line"
        }`,
      );
    }
    body += `// ---- ${name}\n${text.replace(match[0], "")}\n`;
  }
  return `package ${WIT_PACKAGE};\n${body}`;
}
