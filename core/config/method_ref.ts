/**
 * Method references `<plugin-id>@<semver-range>` (e.g. `wga-segmentation@^0.1.0`).
 * @module
 */
import { ScportraitError } from "../errors.ts";
import { BUILTIN_FORMATS } from "./json_schema.ts";
import type { MethodRef } from "./pipeline_config.ts";

/**
 * Parses `<plugin-id>@<semver-range>`; a bare id means any version (`*`). Throws
 * `CONFIG_INVALID` naming the reference when the id or the range is malformed.
 */
export function parseMethodRef(text: string): MethodRef {
  const problem = BUILTIN_FORMATS["method-ref"](text);
  if (problem !== undefined) {
    throw new ScportraitError(
      "CONFIG_INVALID",
      `Invalid method reference "${text}": expected ${problem}`,
    );
  }
  const at = text.indexOf("@");
  return at < 0 ? { id: text, range: "*" } : { id: text.slice(0, at), range: text.slice(at + 1) };
}

/** Formats a method reference back to `<id>@<range>`. */
export function formatMethodRef(ref: MethodRef): string {
  return `${ref.id}@${ref.range}`;
}
