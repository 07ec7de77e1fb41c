/**
 * The worlds of the WIT package `scportrait:plugin` the host can run, and the exports each world
 * requires of a component. Kept in step with `wit/` (a test compares this table with the WIT).
 * @module
 */

import { ScportraitError } from "../errors.ts";

/** Version of the WIT package these worlds belong to. */
export const WIT_PACKAGE_VERSION = "0.1.0";

/** Names of the project's worlds. */
export type WorldName = "segmentation" | "featurization" | "selection" | "stitching";

/** The exports a world requires: `"<fn>"` for world-level functions, `"<iface>#<fn>"` otherwise. */
export interface WorldSpec {
  /** World name (used in messages). */
  name: string;
  /** Required exported functions, fully qualified. */
  functions: string[];
}

/** Fully qualified interface name in the project's package, e.g. `scportrait:plugin/x@0.1.0`. */
export function interfaceName(iface: string): string {
  return `scportrait:plugin/${iface}@${WIT_PACKAGE_VERSION}`;
}

const WORLD_FUNCTIONS: Record<WorldName, string[]> = {
  segmentation: ["describe", `${interfaceName("segmentation")}#segment`],
  featurization: ["describe", `${interfaceName("featurization")}#featurize`],
  selection: ["describe", `${interfaceName("selection")}#select`],
  stitching: ["describe", `${interfaceName("stitching")}#register-pair`],
};

/** Names of every world the host knows. */
export const WORLD_NAMES: readonly WorldName[] = Object.keys(WORLD_FUNCTIONS) as WorldName[];

/** Returns the spec of a named world, or `world` itself when it is already a spec. */
export function resolveWorld(world: WorldName | WorldSpec): WorldSpec {
  if (typeof world !== "string") return world;
  const functions = WORLD_FUNCTIONS[world];
  if (!functions) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Unknown world "${world}". Use one of: ${WORLD_NAMES.join(", ")}.`,
    );
  }
  return { name: world, functions };
}

/**
 * The component-level exports a spec implies: interface names for `iface#fn` entries and function
 * names for world-level functions.
 */
export function requiredTopLevelExports(spec: WorldSpec): string[] {
  const names = new Set<string>();
  for (const fn of spec.functions) {
    const hash = fn.lastIndexOf("#");
    names.add(hash < 0 ? fn : fn.slice(0, hash));
  }
  return [...names].sort();
}
