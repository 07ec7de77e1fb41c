/**
 * Runs the AssemblyScript compiler in-process with the project's pinned flags.
 * @module
 */

import asc from "assemblyscript/asc";
import { ScportraitError } from "../../core/errors.ts";

/** The abort handler every plugin is compiled with, so components have no `env.abort` import. */
export const ABORT_HANDLER = "plugins/sdk/assembly/abort/abortHandler";

/** asc flags used for every first-party plugin (changing them changes every sha256). */
export const ASC_FLAGS: readonly string[] = [
  "-O3",
  "--runtime",
  "incremental",
  "--noAssert",
  "--enable",
  "simd",
  "--use",
  `abort=${ABORT_HANDLER}`,
];

/**
 * Compiles `entry` (a path relative to `baseDir`, the project root) to a core wasm module.
 * Throws `PLUGIN_INVALID` with asc's diagnostics when compilation fails.
 */
export async function compileAssemblyScript(entry: string, baseDir: string): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  let diagnostics = "";
  const sink = {
    write(chunk: Uint8Array | string) {
      diagnostics += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      return true;
    },
  };
  const result = await asc.main([entry, "--baseDir", baseDir, "-o", "core.wasm", ...ASC_FLAGS], {
    stdout: sink,
    stderr: sink,
    writeFile(name: string, contents: Uint8Array | string) {
      if (name.endsWith("core.wasm") && typeof contents !== "string") binary = contents;
    },
  });
  if (result.error || !binary) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `AssemblyScript compilation of "${entry}" failed: ${
        result.error?.message ?? "no output"
      }\n${diagnostics}`,
      { cause: result.error },
    );
  }
  return binary;
}
