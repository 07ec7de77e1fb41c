/**
 * Optimises a linked core module with the pinned npm binaryen (`wasm-opt -O3` equivalent) and
 * strips its custom sections. The features binaryen validates and optimises with (SIMD, bulk
 * memory, …) are the ones the module declares in its `target_features` section, which wasm-ld
 * writes unless it was told `--strip-all`. Used by the C build instead of the `wasm-opt` that
 * clang runs by itself when one is on PATH: clang passes it no feature flags, so a `-msimd128`
 * module failed validation ("SIMD operations require SIMD"), and the output depended on PATH.
 * @module
 */

import binaryen from "binaryen";
import { ScportraitError } from "../../core/errors.ts";

/** Options of {@link optimizeCore}. */
export interface OptimizeCoreOptions {
  /** binaryen optimisation level 0–4 (default 3, like `-O3`). */
  optimizeLevel?: number;
  /** binaryen shrink level 0–2 (default 0). */
  shrinkLevel?: number;
  /** Names the module in error messages, e.g. `examples/plugin_c/build/core.wasm`. */
  label?: string;
}

/** Passes that remove what a plugin does not need at run time (names are dropped on emit). */
const STRIP_PASSES = ["strip-debug", "strip-producers", "strip-target-features"];

/**
 * Validates `core` with the features its `target_features` section declares, optimises it and
 * returns it without debug, producers or target-features sections. Throws `PLUGIN_INVALID` when
 * binaryen cannot read the module or it does not validate with its declared features.
 */
export function optimizeCore(core: Uint8Array, options: OptimizeCoreOptions = {}): Uint8Array {
  const label = options.label ?? "the core module";
  let mod: binaryen.Module;
  try {
    mod = binaryen.readBinary(core);
  } catch (cause) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `binaryen cannot read ${label}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  try {
    if (!mod.validate()) {
      throw new ScportraitError(
        "PLUGIN_INVALID",
        `${label} does not validate with the features it declares (${featureNames(mod)}); ` +
          `link it without --strip-all so wasm-ld keeps the target_features section, and ` +
          `compile every object with the same -m flags (e.g. -msimd128 -mbulk-memory)`,
      );
    }
    const previous = {
      optimize: binaryen.getOptimizeLevel(),
      shrink: binaryen.getShrinkLevel(),
      debug: binaryen.getDebugInfo(),
    };
    try {
      binaryen.setOptimizeLevel(options.optimizeLevel ?? 3);
      binaryen.setShrinkLevel(options.shrinkLevel ?? 0);
      binaryen.setDebugInfo(false);
      mod.optimize();
      mod.runPasses(STRIP_PASSES);
    } finally {
      binaryen.setOptimizeLevel(previous.optimize);
      binaryen.setShrinkLevel(previous.shrink);
      binaryen.setDebugInfo(previous.debug);
    }
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** The names of the features binaryen enabled for `mod`, e.g. `simd, bulk-memory`. */
function featureNames(mod: binaryen.Module): string {
  const enabled = mod.getFeatures();
  const names = Object.entries(binaryen.Features)
    .filter(([name, bit]) =>
      typeof bit === "number" && bit !== 0 && name !== "All" && (enabled & bit) === bit
    )
    .map(([name]) => name);
  return names.length > 0 ? names.join(", ") : "MVP only";
}
