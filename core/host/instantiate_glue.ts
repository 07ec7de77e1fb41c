/**
 * Instantiates a component from its generated glue and compiled core modules. Used both in the
 * main thread and inside permission-less plugin workers, so it imports nothing that needs a
 * permission: the glue arrives as text and is imported from a `data:` URL.
 * @module
 */

import { importSource } from "./import_source.ts";

/** A live component instance: its exports and the linear memories of its core instances. */
export interface LiveInstance {
  /** The glue's export object (`{ "<pkg>/<iface>@<ver>": { fn… }, <iface>: {…}, <fn>: fn }`). */
  exports: Record<string, unknown>;
  /** Every linear memory the core instances export, for memory accounting. */
  memories: WebAssembly.Memory[];
}

type GlueModule = {
  instantiate(
    getCoreModule: (name: string) => WebAssembly.Module,
    imports: Record<string, unknown>,
    instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => Promise<
      WebAssembly.Instance
    >,
  ): Promise<Record<string, unknown>>;
};

/** Imports the glue module once per source text (per worker or thread). */
const glueCache = new Map<string, Promise<GlueModule>>();

function importGlue(source: string): Promise<GlueModule> {
  let cached = glueCache.get(source);
  if (!cached) {
    cached = importSource(source) as Promise<unknown> as Promise<GlueModule>;
    glueCache.set(source, cached);
  }
  return cached;
}

/**
 * Creates a fresh instance from `glueSource` and `modules` (core module name → compiled module).
 * No imports are provided: components that import anything are refused before this point.
 */
export async function instantiateGlue(
  glueSource: string,
  modules: ReadonlyMap<string, WebAssembly.Module>,
): Promise<LiveInstance> {
  const glue = await importGlue(glueSource);
  const memories: WebAssembly.Memory[] = [];
  const exports = await glue.instantiate(
    (name) => {
      const module = modules.get(name);
      if (!module) throw new TypeError(`glue asked for unknown core module ${name}`);
      return module;
    },
    {},
    async (module, imports) => {
      const instance = await WebAssembly.instantiate(module, imports ?? {});
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory) memories.push(value);
      }
      return instance;
    },
  );
  return { exports, memories };
}

/** Finds an exported function by `"<interface>#<fn>"` or `"<fn>"`; undefined if absent. */
export function findExport(
  exports: Record<string, unknown>,
  name: string,
): ((...args: unknown[]) => unknown) | undefined {
  const hash = name.lastIndexOf("#");
  const holder = hash < 0 ? exports : exports[name.slice(0, hash)];
  if (!holder || typeof holder !== "object" && typeof holder !== "function") return undefined;
  const fn = (holder as Record<string, unknown>)[jsName(hash < 0 ? name : name.slice(hash + 1))];
  return typeof fn === "function" ? fn as (...args: unknown[]) => unknown : undefined;
}

/** jco's JS name for a WIT function name: kebab-case becomes lowerCamelCase. */
export function jsName(witName: string): string {
  return witName.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Lists exported functions by their JS names: `"<fn>"` for world functions, `"<interface>#<fn>"`
 * for interface functions.
 */
export function listExportedFunctions(exports: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(exports)) {
    if (typeof value === "function") out.push(key);
    else if (value && typeof value === "object" && key.includes(":")) {
      for (const [fn, f] of Object.entries(value)) {
        if (typeof f === "function") out.push(`${key}#${fn}`);
      }
    }
  }
  return out.sort();
}

/** Total bytes of all memories of an instance. */
export function memoryBytes(live: LiveInstance): number {
  return live.memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
}
