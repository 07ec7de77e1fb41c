/**
 * The folders the component host must be able to read at run time: its own worker modules (Deno
 * checks read permission for a worker's module graph) and the two pinned npm packages the runtime
 * loader takes jco's bindgen and preview2-shim's browser build from. Used to build the
 * least-privilege `deno run --allow-read=…` line.
 * @module
 */

import { fileURLToPath } from "node:url";

function packageDir(resolved: string, marker: string): string {
  const path = fileURLToPath(resolved);
  const at = path.lastIndexOf(marker);
  return at < 0 ? path : path.slice(0, at + marker.length);
}

/** Absolute paths the host needs `--allow-read` on (no write, env, net, run, ffi or sys). */
export function hostReadPaths(): string[] {
  return [
    fileURLToPath(new URL(".", import.meta.url)).replace(/\/$/, ""),
    packageDir(
      import.meta.resolve("@bytecodealliance/jco-transpile/component"),
      "/@bytecodealliance/jco-transpile",
    ),
    packageDir(
      import.meta.resolve("@bytecodealliance/preview2-shim/cli"),
      "/@bytecodealliance/preview2-shim",
    ),
  ];
}
