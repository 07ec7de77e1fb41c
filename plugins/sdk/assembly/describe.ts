/**
 * The world-level `describe: func() -> string` every plugin exports.
 * @module
 */

import { freeDeferred } from "./memory";
import { lowerString } from "./strings";

const RET_AREA = memory.data(8, 4);

/** The core export `describe`: returns `json` as the contract's string. */
export function describeExport(json: string): usize {
  lowerString(RET_AREA, json);
  return RET_AREA;
}

/** The core export `cabi_post_describe`. */
export function describePostExport(_ret: usize): void {
  freeDeferred();
}
