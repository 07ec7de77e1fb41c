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

/** A world given by short name, WIT world name (`segmentation-plugin`) or explicit spec. */
export type WorldRef = WorldName | `${WorldName}-plugin` | WorldSpec;

/** Fully qualified interface name in the project's package, e.g. `scportrait:plugin/x@0.1.0`. */
export function interfaceName(iface: string): string {
  return `scportrait:plugin/${iface}@${WIT_PACKAGE_VERSION}`;
}

const WORLD_FUNCTIONS: Record<WorldName, string[]> = {
  segmentation: ["describe", `${interfaceName("segmentation")}#segment`],
  featurization: ["describe", `${interfaceName("featurization")}#featurize`],
  selection: [
    "describe",
    `${interfaceName("selection")}#shapes`,
    `${interfaceName("selection")}#path-order`,
  ],
  stitching: ["describe", `${interfaceName("stitching")}#register`],
};

/** Names of every world the host knows. */
export const WORLD_NAMES: readonly WorldName[] = Object.keys(WORLD_FUNCTIONS) as WorldName[];

/**
 * Returns the spec of a named world (`segmentation` or the WIT world name `segmentation-plugin`),
 * or `world` itself when it is already a spec.
 */
export function resolveWorld(world: WorldRef): WorldSpec {
  if (typeof world !== "string") return world;
  const short = world.replace(/-plugin$/, "") as WorldName;
  const functions = Object.hasOwn(WORLD_FUNCTIONS, short) ? WORLD_FUNCTIONS[short] : undefined;
  if (!functions) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Unknown world "${world}". Use one of: ${WORLD_NAMES.join(", ")} (or <name>-plugin).`,
    );
  }
  return { name: `${short}-plugin`, functions };
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
