/**
 * One section of the HTML report and the timing record the report keeps for each.
 * @module
 */

/** A rendered section: `<section id="{id}">` with a heading and body HTML. */
export interface ReportSection {
  /** Stable anchor id, e.g. `overview`, `segmentation`. */
  id: string;
  /** Heading text. */
  title: string;
  /** Body HTML (already escaped). */
  html: string;
}

/** Section ids in page order. */
export const SECTION_IDS = [
  "overview",
  "input-image",
  "segmentation",
  "cell-gallery",
  "features",
  "selection",
] as const;

/** A section id. */
export type SectionId = typeof SECTION_IDS[number];
