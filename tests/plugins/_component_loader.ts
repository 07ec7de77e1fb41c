/**
 * Test helper: instantiates a component with jco's `transpileBytes` (needs `-A`), independent of
 * the host's runtime loader, so the plugin tests check the components against jco itself.
 * @module
 */

import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { join } from "node:path";

/** A transpiled, instantiated component and the temp folder holding its glue. */
export interface LoadedComponent {
  /** The instance's exports (interfaces by name, `describe`). */
  exports: Record<string, unknown>;
  /** Removes the temp folder. */
  close(): Promise<void>;
}

/** Transpiles `bytes` and instantiates it with no imports. */
export async function loadComponent(bytes: Uint8Array): Promise<LoadedComponent> {
  const dir = await Deno.makeTempDir({ prefix: "scp_component_" });
  const out = await transpileBytes(bytes, {
    name: "plugin",
    instantiation: "async",
    noComponentErrorWrapping: false,
    base64Cutoff: 1 << 30,
  });
  for (const [name, data] of Object.entries(out.files)) {
    await Deno.mkdir(join(dir, name, ".."), { recursive: true });
    await Deno.writeFile(join(dir, name), data as Uint8Array);
  }
  const glue = await import(`file://${join(dir, "plugin.js")}`);
  const exports = await glue.instantiate(
    (path: string) => WebAssembly.compile(Deno.readFileSync(join(dir, path))),
    {},
  );
  return { exports, close: () => Deno.remove(dir, { recursive: true }) };
}
