/**
 * Lists the elements of a remote (http) SpatialData store, which cannot be listed as a directory,
 * from its consolidated metadata (`.zmetadata`).
 * @module
 */
import type { Readable } from "@zarrita/storage";
import { ScportraitError } from "../../errors.ts";
import { parseJsonBytes } from "../zarr/v2_array.ts";
import { ELEMENT_TYPES, type ElementType } from "./store_layout.ts";

/** One element found in a store. */
export interface ElementInfo {
  /** Element group, e.g. `images`. */
  type: ElementType;
  /** Element name. */
  name: string;
  /** False while it is being written (or when a writer died before `finalize`). */
  complete: boolean;
}

/** The finished elements named in `store`'s `.zmetadata`; throws USAGE if it has none. */
export async function listRemoteElements(
  store: Readable,
  location: string,
): Promise<ElementInfo[]> {
  const bytes = await store.get("/.zmetadata");
  if (bytes === undefined) {
    throw new ScportraitError(
      "USAGE",
      `${location} is remote and has no consolidated .zmetadata, so its elements cannot ` +
        "be listed: open elements by name instead.",
    );
  }
  const doc = parseJsonBytes(bytes, `${location}/.zmetadata`) as { metadata?: object };
  const found = new Map<string, ElementInfo>();
  for (const key of Object.keys(doc.metadata ?? {})) {
    const [type, name, file] = key.split("/");
    if (ELEMENT_TYPES.includes(type as ElementType) && name && file && !name.startsWith(".")) {
      found.set(`${type}/${name}`, { type: type as ElementType, name, complete: true });
    }
  }
  return [...found.values()];
}
