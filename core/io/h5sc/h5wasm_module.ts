/**
 * Loads h5wasm (the NODERAWFS build, which reads and writes the host file system directly) and the
 * h5wasm-plugins filter set once per process, so the LZF filter (id 32000) is available.
 * @module
 */
import h5wasm from "h5wasm/node";
import { install_local_plugins } from "h5wasm-plugins";

/** The h5wasm namespace (File, Dataset, …). */
export type H5wasm = typeof h5wasm;
/** The Emscripten module with the low-level HDF5 helpers. */
export type H5Module = Awaited<typeof h5wasm.ready>;

let loaded: Promise<H5Module> | undefined;

/** Resolves to the h5wasm module with the compression plugins on its search path. */
export function loadH5wasm(): Promise<H5Module> {
  loaded ??= h5wasm.ready.then((module) => {
    install_local_plugins(module);
    return module;
  });
  return loaded;
}

/** The h5wasm namespace; call {@link loadH5wasm} first. */
export const h5 = h5wasm;
