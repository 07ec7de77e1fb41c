/**
 * Names and paths inside a SpatialData store (`scportrait.sdata`), as spatialdata lays it out:
 * `images/<name>`, `labels/<name>`, `points/<name>`, `tables/<name>`. An element being written lives
 * at `<type>/.<name>.incomplete` (hidden: spatialdata skips names starting with a dot) and is
 * renamed to `<type>/<name>` when finalized.
 * @module
 */
import { ScportraitError } from "../../errors.ts";

/** The element groups of a SpatialData store. */
export type ElementType = "images" | "labels" | "points" | "tables" | "shapes";

/** All element group names, in spatialdata's order. */
export const ELEMENT_TYPES: readonly ElementType[] = [
  "images",
  "labels",
  "points",
  "shapes",
  "tables",
];

/** Suffix of an element directory that is still being written. */
export const INCOMPLETE_SUFFIX = ".incomplete";

/** spatialdata container format version for zarr v2 stores (SpatialDataContainerFormatV01). */
export const SPATIALDATA_CONTAINER_VERSION = "0.1";

/** Store key of a finished element. */
export function elementKey(type: ElementType, name: string): string {
  return `${type}/${name}`;
}

/** Store key of an element while it is being written. */
export function incompleteKey(type: ElementType, name: string): string {
  return `${type}/.${name}${INCOMPLETE_SUFFIX}`;
}

/** The element name of an incomplete element's directory name, or null if it is not one. */
export function nameOfIncomplete(dirName: string): string | null {
  return dirName.startsWith(".") && dirName.endsWith(INCOMPLETE_SUFFIX)
    ? dirName.slice(1, -INCOMPLETE_SUFFIX.length)
    : null;
}

/** Checks an element name as spatialdata does (letters, digits, `_`, `-`, `.`; no leading dot). */
export function validateElementName(name: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) || name.length > 200) {
    throw new ScportraitError(
      "STORE_INVALID",
      `Element name "${name}" is not allowed: use letters, digits, "_", "-" and "." and do not ` +
        "start with a dot.",
    );
  }
}

/** scPortrait's status flags kept in the store's root attributes under `sdata_status`. */
export interface SdataStatus {
  /** `images/input_image` exists. */
  input_images: boolean;
  /** `labels/seg_all_nucleus` exists. */
  nucleus_segmentation: boolean;
  /** `labels/seg_all_cytosol` exists. */
  cytosol_segmentation: boolean;
  /** `points/centers_seg_all_nucleus` exists. */
  nucleus_centers: boolean;
  /** `points/centers_seg_all_cytosol` exists. */
  cytosol_centers: boolean;
}

/** scPortrait's element names (constants.py). */
export const SCPORTRAIT_NAMES = {
  inputImage: "input_image",
  nucleusSegmentation: "seg_all_nucleus",
  cytosolSegmentation: "seg_all_cytosol",
  nucleusCenters: "centers_seg_all_nucleus",
  cytosolCenters: "centers_seg_all_cytosol",
} as const;

/** Computes `sdata_status` from the set of finished element keys (`images/input_image`, …). */
export function statusFromElements(keys: ReadonlySet<string>): SdataStatus {
  return {
    input_images: keys.has(elementKey("images", SCPORTRAIT_NAMES.inputImage)),
    nucleus_segmentation: keys.has(elementKey("labels", SCPORTRAIT_NAMES.nucleusSegmentation)),
    cytosol_segmentation: keys.has(elementKey("labels", SCPORTRAIT_NAMES.cytosolSegmentation)),
    nucleus_centers: keys.has(elementKey("points", SCPORTRAIT_NAMES.nucleusCenters)),
    cytosol_centers: keys.has(elementKey("points", SCPORTRAIT_NAMES.cytosolCenters)),
  };
}
