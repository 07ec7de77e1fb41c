/**
 * The core-module exports each world needs: the AssemblyScript identifier the generated entry
 * exports, and the canonical-ABI name it is renamed to.
 * @module
 */

import { type PluginKind, WIT_PACKAGE } from "./wit_source.ts";

/** One exported function of a world. */
export interface WorldFunction {
  /** Identifier exported by the generated AssemblyScript entry, e.g. `segmentation_segment`. */
  asName: string;
  /** Canonical core export name, e.g. `scportrait:plugin/segmentation@0.1.0#segment`. */
  canonical: string;
  /** Name of the author's function the SDK glue calls, e.g. `segment`. */
  method: string;
  /** SDK module (under `plugins/sdk/assembly/`) with the glue. */
  sdkModule: string;
  /** Glue function and post-return glue function in that module. */
  glue: string;
  /** Post-return glue function. */
  postGlue: string;
  /** AssemblyScript parameter list of the core function (flat canonical-ABI values). */
  coreParams: string;
  /** Arguments passed on to the glue. */
  coreArgs: string;
}

function iface(kind: PluginKind, fn: string): string {
  const [ns, ver] = WIT_PACKAGE.split("@");
  return `${ns}/${kind}@${ver}#${fn}`;
}

const I = "i32";
const flatParams = (names: string[], type = I) => names.map((n) => `${n}: ${type}`).join(", ");

/** Functions of each world besides `describe` and `cabi_realloc`. */
export const WORLD_FUNCTIONS: Record<PluginKind, WorldFunction[]> = {
  segmentation: [{
    asName: "segmentation_segment",
    canonical: iface("segmentation", "segment"),
    method: "segment",
    sdkModule: "segmentation",
    glue: "segmentExport",
    postGlue: "segmentPostExport",
    coreParams: "args: usize",
    coreArgs: "args",
  }],
  featurization: [{
    asName: "featurization_featurize",
    canonical: iface("featurization", "featurize"),
    method: "featurize",
    sdkModule: "featurization",
    glue: "featurizeExport",
    postGlue: "featurizePostExport",
    coreParams: flatParams(["count", "channels", "height", "width", "dataPtr", "dataLen"]) +
      ", " + flatParams(["namesPtr", "namesLen", "paramsPtr", "paramsLen"]),
    coreArgs: "count, channels, height, width, dataPtr, dataLen, namesPtr, namesLen, " +
      "paramsPtr, paramsLen",
  }],
  selection: [{
    asName: "selection_shapes",
    canonical: iface("selection", "shapes"),
    method: "shapes",
    sdkModule: "selection",
    glue: "shapesExport",
    postGlue: "selectionPostExport",
    coreParams: flatParams(["cellsPtr", "cellsLen", "paramsPtr", "paramsLen"]),
    coreArgs: "cellsPtr, cellsLen, paramsPtr, paramsLen",
  }, {
    asName: "selection_path_order",
    canonical: iface("selection", "path-order"),
    method: "pathOrder",
    sdkModule: "selection",
    glue: "pathOrderExport",
    postGlue: "selectionPostExport",
    coreParams: flatParams(["pointsPtr", "pointsLen", "paramsPtr", "paramsLen"]),
    coreArgs: "pointsPtr, pointsLen, paramsPtr, paramsLen",
  }],
  stitching: [{
    asName: "stitching_register",
    canonical: iface("stitching", "register"),
    method: "register",
    sdkModule: "stitching",
    glue: "registerExport",
    postGlue: "registerPostExport",
    coreParams: flatParams(["aC", "aH", "aW", "aPtr", "aLen", "bC", "bH", "bW", "bPtr", "bLen"]) +
      ", dy: f64, dx: f64, paramsPtr: i32, paramsLen: i32",
    coreArgs: "aC, aH, aW, aPtr, aLen, bC, bH, bW, bPtr, bLen, dy, dx, paramsPtr, paramsLen",
  }],
};

/** The rename table `asName → canonical` for a world, including post-return and describe. */
export function exportRenames(kind: PluginKind): Record<string, string> {
  const out: Record<string, string> = { describe_post: "cabi_post_describe" };
  for (const f of WORLD_FUNCTIONS[kind]) {
    out[f.asName] = f.canonical;
    out[`${f.asName}_post`] = `cabi_post_${f.canonical}`;
  }
  return out;
}
