/**
 * jco's own JS-bindgen component (the transpiler, itself a wasm component) loaded at run time from
 * the pinned `@bytecodealliance/jco-transpile` npm package: its ES module is read as text, its
 * WASI imports are pointed at preview2-shim's *browser* build (no env, no fs, no ffi) and its
 * `JCO_DEBUG` env read is patched out, then it is imported from a `data:` URL. Nothing is vendored
 * into the repository and no build step is needed (see docs/decisions.md, "component host").
 * @module
 */

import { ScportraitError } from "../errors.ts";
import { importSource } from "./import_source.ts";

/** One generated file: its name and bytes. */
export type GeneratedFile = [string, Uint8Array];

/** What the bindgen reports for one component. */
export interface GeneratedGlue {
  /** Files: the glue ES module (`plugin.js`) and the core modules (`plugin.core*.wasm`). */
  files: GeneratedFile[];
  /** Component-level import names (interfaces or functions), e.g. `wasi:filesystem/types@0.2.0`. */
  imports: string[];
  /** Component-level exports: name and whether it is an interface instance or a function. */
  exports: [string, "function" | "instance"][];
}

interface BindgenModule {
  $init: Promise<void>;
  generate(component: Uint8Array, options: Record<string, unknown>): GeneratedGlue;
}

/** Source text that reads an environment variable on every call in jco's glue. */
const JCO_DEBUG_READ = "globalThis?.process?.env?.JCO_DEBUG";

let bindgen: Promise<BindgenModule> | undefined;

/** Replaces jco's per-call `JCO_DEBUG` environment read with the constant `false`. */
export function patchJcoDebug(source: string): string {
  return source.replaceAll(JCO_DEBUG_READ, "false");
}

/**
 * Routes jco's copies of lifted typed lists (`new XArray(memoryN.buffer.slice(start, end))`)
 * through `globalThis.scportraitLiftArray(XArray, {buffer, start, end})` when a plugin worker
 * defines it, so results can land in buffers the host handed back instead of fresh memory (a page
 * fault per 4 KiB); elsewhere the copy is the same as jco's.
 */
export function patchListLifts(source: string): string {
  const patched = source.replace(
    /\bnew (\w+Array)\((memory\d+)\.buffer\.slice\(/g,
    "scportraitLift($1, scportraitRange($2.buffer, ",
  );
  if (patched === source) return source;
  return patched + `
function scportraitRange(buffer, start, end) {
  return { buffer, start, end };
}
function scportraitLift(View, range) {
  const lift = globalThis.scportraitLiftArray;
  return lift ? lift(View, range) : new View(range.buffer.slice(range.start, range.end));
}
`;
}

async function loadBindgen(): Promise<BindgenModule> {
  const jsUrl = new URL(import.meta.resolve("@bytecodealliance/jco-transpile/component"));
  const shimNode = import.meta.resolve("@bytecodealliance/preview2-shim/cli");
  const shimBrowser = shimNode.replace(/\/dist\/nodejs\/cli\.js$/, "/dist/browser/");
  if (shimBrowser === shimNode) {
    throw new ScportraitError(
      "PLUGIN_FAILED",
      `Unexpected layout of @bytecodealliance/preview2-shim (${shimNode}); the host needs its ` +
        "dist/browser build. Reinstall the pinned version 0.26.0 with `deno install`.",
    );
  }
  let source: string;
  try {
    source = await Deno.readTextFile(jsUrl);
  } catch (cause) {
    throw new ScportraitError(
      "PLUGIN_FAILED",
      `Cannot read jco's bindgen at ${jsUrl.pathname}. Run \`deno install\` in the project and ` +
        "grant --allow-read to its node_modules folder.",
      { cause },
    );
  }
  source = source.replace(
    /from '@bytecodealliance\/preview2-shim\/(\w+)'/g,
    (_m, name: string) => `from '${shimBrowser}${name}.js'`,
  );
  source = source.replace(
    /new URL\('\.\/([\w.-]+\.wasm)', import\.meta\.url\)/g,
    (_m, file: string) => `new URL('${new URL(file, jsUrl).href}')`,
  );
  const module = await importSource(patchJcoDebug(source)) as unknown as BindgenModule;
  await module.$init;
  return module;
}

/** Whether this process has started loading the bindgen (false when all glue came from cache). */
export function bindgenStarted(): boolean {
  return bindgen !== undefined;
}

/** Returns the (memoised) bindgen, loading and compiling it on first use (≈0.3–0.5 s). */
export function getBindgen(): Promise<BindgenModule> {
  bindgen ??= loadBindgen().catch((error) => {
    bindgen = undefined;
    throw error;
  });
  return bindgen;
}

/**
 * Generates the JS glue for `component` in async-instantiation mode (the caller supplies the core
 * modules), with jco's error wrapping on so an `err` result arrives as a `ComponentError`.
 */
export async function generateGlue(component: Uint8Array, name = "plugin"): Promise<GeneratedGlue> {
  const module = await getBindgen();
  try {
    return module.generate(component, {
      name,
      instantiation: { tag: "async" },
      noTypescript: true,
      noNodejsCompat: true,
      noComponentErrorWrapping: false,
    });
  } catch (cause) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `The plugin ${name} is not a valid WebAssembly component: ${describeCause(cause)}. ` +
        "Check that the artifact is a component (not a core module) built for this WIT package.",
      { cause },
    );
  }
}

function describeCause(cause: unknown): string {
  if (cause && typeof cause === "object" && "payload" in cause) return String(cause.payload);
  return cause instanceof Error ? cause.message : String(cause);
}
