/**
 * Runtime component loader: bytes in, checked and compiled component out, with no build step.
 * The glue is generated in-process by jco's bindgen; a component that imports anything is refused
 * before anything is instantiated; its exports are checked against the manifest's world; the core
 * modules get a memory ceiling before they are compiled. Glue is cached per component sha256 in
 * memory and, given a folder, on disk (`glue_cache.ts`), so a fresh process skips the bindgen.
 * @module
 */

import { ScportraitError } from "../errors.ts";
import { type GlueEntry, readGlueCache, writeGlueCache } from "./glue_cache.ts";
import { generateGlue, patchJcoDebug, patchListLifts } from "./jco_bindgen.ts";
import {
  instantiateGlue,
  jsName,
  listExportedFunctions,
  type LiveInstance,
} from "./instantiate_glue.ts";
import {
  requiredTopLevelExports,
  resolveWorld,
  type WorldRef,
  type WorldSpec,
} from "./plugin_worlds.ts";
import { capMemoryPages, mibToPages, WASM_PAGE_BYTES } from "./wasm_memory_limit.ts";

/** Options of {@link loadComponent}. */
export interface LoadOptions {
  /** The world the manifest names; the component must export everything it requires. */
  world: WorldRef;
  /** Component imports tolerated (default none: any import refuses the component). */
  allowImports?: readonly string[];
  /** Plugin id used in messages (default: the first 12 hex digits of the sha256). */
  name?: string;
  /**
   * Folder whose `glue/` subfolder caches the generated glue across processes, normally the
   * component's entry in the plugin cache (`InstalledPlugin.cacheDir`). Without it the glue is
   * generated in-process (once per process and component).
   */
  glueCacheDir?: string;
}

/** Resource limits applied when compiling a component. */
export interface ComponentLimits {
  /** Ceiling of each linear memory in MiB (default: no ceiling beyond wasm32's 4 GiB). */
  memoryMib?: number;
}

/** Core modules compiled under given limits, ready to be posted to workers. */
export interface CompiledComponent {
  /** The patched glue module source. */
  glueSource: string;
  /** Core module file name → compiled module. */
  modules: Map<string, WebAssembly.Module>;
  /** The memory ceiling in bytes, if any. */
  memoryLimitBytes?: number;
}

const glueBySha = new Map<string, Promise<GlueEntry>>();

/** Hex sha256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function buildGlue(bytes: Uint8Array, sha: string): Promise<GlueEntry> {
  const generated = await generateGlue(bytes, "plugin");
  const decoder = new TextDecoder();
  const coreModules = new Map<string, Uint8Array>();
  let glueSource = "";
  for (const [file, content] of generated.files) {
    if (file.endsWith(".wasm")) coreModules.set(file, content);
    else if (file.endsWith(".js")) {
      glueSource = patchListLifts(patchJcoDebug(decoder.decode(content)));
    }
  }
  if (!glueSource) {
    throw new ScportraitError("PLUGIN_INVALID", `jco produced no glue for component ${sha}.`);
  }
  return { glueSource, coreModules, imports: generated.imports, exports: generated.exports };
}

/** The glue from the disk cache if valid there, else generated (and stored when possible). */
async function glueFor(bytes: Uint8Array, sha: string, cacheDir?: string): Promise<GlueEntry> {
  if (cacheDir !== undefined) {
    const cached = await readGlueCache(cacheDir, sha);
    if (cached) return cached;
  }
  const built = await buildGlue(bytes, sha);
  if (cacheDir !== undefined) await writeGlueCache(cacheDir, sha, built);
  return built;
}

/** A component that passed the import and export checks. */
export class LoadedComponent {
  /** Hex sha256 of the component bytes. */
  readonly sha256: string;
  /** Plugin id used in messages. */
  readonly name: string;
  /** The world it was checked against. */
  readonly world: WorldSpec;
  /** Component-level imports (empty unless allowed). */
  readonly imports: readonly string[];
  /** Component-level exports and their kinds. */
  readonly exports: readonly [string, "function" | "instance"][];
  /** The glue module source, `JCO_DEBUG` read patched out. */
  readonly glueSource: string;
  /** Core module file name → unpatched bytes. */
  readonly coreModules: ReadonlyMap<string, Uint8Array>;
  readonly #compiled = new Map<number, Promise<CompiledComponent>>();

  /** @internal Use {@link loadComponent}. */
  constructor(sha256: string, name: string, world: WorldSpec, entry: GlueEntry) {
    this.sha256 = sha256;
    this.name = name;
    this.world = world;
    this.imports = entry.imports;
    this.exports = entry.exports;
    this.glueSource = entry.glueSource;
    this.coreModules = entry.coreModules;
  }

  /** Compiles the core modules with the memory ceiling applied (cached per ceiling). */
  compile(limits: ComponentLimits = {}): Promise<CompiledComponent> {
    const key = limits.memoryMib ?? 0;
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      compiled = this.#compile(limits.memoryMib);
      this.#compiled.set(key, compiled);
      compiled.catch(() => this.#compiled.delete(key));
    }
    return compiled;
  }

  async #compile(memoryMib: number | undefined): Promise<CompiledComponent> {
    const maxPages = memoryMib === undefined ? undefined : mibToPages(memoryMib);
    if (maxPages !== undefined && !(maxPages >= 1)) {
      throw new ScportraitError(
        "PLUGIN_INVALID",
        `Memory ceiling ${memoryMib} MiB for plugin ${this.name} is below one 64 KiB page.`,
      );
    }
    const modules = new Map<string, WebAssembly.Module>();
    for (const [file, bytes] of this.coreModules) {
      const patched = maxPages === undefined ? bytes : capMemoryPages(bytes, maxPages, this.name);
      modules.set(file, await WebAssembly.compile(patched as Uint8Array<ArrayBuffer>));
    }
    return {
      glueSource: this.glueSource,
      modules,
      memoryLimitBytes: maxPages === undefined ? undefined : maxPages * WASM_PAGE_BYTES,
    };
  }

  /**
   * Instantiates the component in this thread (no timeout: use {@link PluginPool} for untrusted
   * code) and checks its exported functions against the world.
   */
  async instantiate(limits: ComponentLimits = {}): Promise<LiveInstance> {
    const compiled = await this.compile(limits);
    const live = await instantiateGlue(compiled.glueSource, compiled.modules);
    checkExportedFunctions(this.name, this.world, listExportedFunctions(live.exports));
    return live;
  }
}

/**
 * Throws `PLUGIN_INVALID` naming the functions of `world` that `exported` (JS names from
 * {@link listExportedFunctions}) lacks.
 */
export function checkExportedFunctions(name: string, world: WorldSpec, exported: string[]): void {
  const have = new Set(exported);
  const missing = world.functions.filter((fn) => {
    const hash = fn.lastIndexOf("#");
    const js = hash < 0 ? jsName(fn) : `${fn.slice(0, hash)}#${jsName(fn.slice(hash + 1))}`;
    return !have.has(js);
  });
  if (missing.length > 0) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Plugin ${name} does not implement world "${world.name}": missing export(s) ` +
        `${missing.join(", ")}. Rebuild it against the project's wit/ for that world.`,
    );
  }
}

/**
 * Loads a component from its bytes: generates (or reuses) its glue, refuses it with
 * `PLUGIN_REFUSED` if it has imports not in `allowImports`, and with `PLUGIN_INVALID` if it lacks
 * exports of `world`. Nothing is compiled or instantiated when a check fails.
 */
export async function loadComponent(
  bytes: Uint8Array,
  options: LoadOptions,
): Promise<LoadedComponent> {
  const world = resolveWorld(options.world);
  const sha = await sha256Hex(bytes);
  const name = options.name ?? sha.slice(0, 12);
  let entry = glueBySha.get(sha);
  if (!entry) {
    entry = glueFor(bytes, sha, options.glueCacheDir);
    glueBySha.set(sha, entry);
    entry.catch(() => glueBySha.delete(sha));
  }
  const glue = await entry;
  const allowed = new Set(options.allowImports ?? []);
  const refused = glue.imports.filter((i) => !allowed.has(i));
  if (refused.length > 0) {
    throw new ScportraitError(
      "PLUGIN_REFUSED",
      `Plugin ${name} imports ${refused.join(", ")}; plugins must be pure compute and import ` +
        "nothing (the host does all I/O). It was refused before being compiled or instantiated.",
    );
  }
  const exported = new Set(glue.exports.map(([n]) => n));
  const missing = requiredTopLevelExports(world).filter((n) => !exported.has(n));
  if (missing.length > 0) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Plugin ${name} does not implement world "${world.name}": missing export(s) ` +
        `${missing.join(", ")} (it exports ${[...exported].join(", ") || "nothing"}). ` +
        "Rebuild it against the project's wit/ for that world.",
    );
  }
  return new LoadedComponent(sha, name, world, glue);
}
