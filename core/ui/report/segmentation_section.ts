/**
 * The segmentation section: mask outlines (inner label boundaries, one colour per mask, nucleus
 * drawn over cytosol) over the input composite — on the whole-image preview and on zoomed
 * level-0 crops of the densest regions — plus cell counts and cell-area histograms counted on
 * level 0 chunk by chunk.
 * @module
 */
import type { PixelWindow } from "../../io/image_source.ts";
import type { OmeZarrImage } from "../../io/ome_zarr/ome_zarr_image.ts";
import type { LabelsSource } from "../../io/spatialdata/labels_source.ts";
import { encodePng } from "../png/png_encoder.ts";
import { composeRgb, stretchToUint8 } from "./contrast.ts";
import { chooseCropWindows } from "./crop_windows.ts";
import { escapeHtml, formatCount, pngImg } from "./html_text.ts";
import type { InputPreview } from "./input_section.ts";
import { countLabelAreas } from "./label_areas.ts";
import { innerBoundaries, paintOutline, type Rgb } from "./label_outlines.ts";
import { samplePreview } from "./preview_sampler.ts";
import { labelIdsAsNumbers, labelsReader } from "./raster_readers.ts";
import type { ReportSection } from "./report_section.ts";
import { histogramSvg } from "./svg_histogram.ts";

/** A mask to outline. */
export interface OverlayMask {
  /** Short name, e.g. `nucleus`. */
  name: string;
  /** The labels element. */
  labels: LabelsSource;
  /** Outline colour. */
  color: Rgb;
}

/** Outline colours of scPortrait's two masks. */
export const MASK_COLORS: Record<string, Rgb> = {
  nucleus: [255, 0, 255],
  cytosol: [255, 255, 0],
};

/** Options of {@link segmentationSection}. */
export interface SegmentationSectionOptions {
  /** Side of the level-0 crops in px (default 384, or a quarter of the longer side if smaller). */
  cropSize?: number;
  /** Number of crops (default 2). */
  crops?: number;
  /** Called after each chunk read (progress). */
  onChunk?: () => void;
}

/** What the section found, besides its HTML. */
export interface SegmentationSummary {
  /** The section. */
  section: ReportSection;
  /** Cells per mask (distinct non-zero ids on level 0). */
  cellCounts: Record<string, number>;
  /** Level-0 crop windows shown. */
  crops: PixelWindow[];
}

/** Paints the outlines of `masks` (already sampled / read as ids) over a copy of `rgb`. */
function overlay(
  rgb: Uint8Array,
  ids: readonly Float64Array[],
  masks: readonly OverlayMask[],
  height: number,
  width: number,
): Uint8Array {
  const out = rgb.slice();
  // cytosol first so that nucleus outlines stay visible where both coincide
  const order = masks.map((_, i) => i).sort((a, b) =>
    (masks[a].name === "nucleus" ? 1 : 0) - (masks[b].name === "nucleus" ? 1 : 0)
  );
  for (const i of order) paintOutline(out, innerBoundaries(ids[i], height, width), masks[i].color);
  return out;
}

async function cropOverlay(
  image: OmeZarrImage,
  preview: InputPreview,
  masks: readonly OverlayMask[],
  window: PixelWindow,
): Promise<Uint8Array> {
  const planes: Uint8Array[] = [];
  for (let c = 0; c < Math.min(3, image.channels); c++) {
    planes.push(stretchToUint8(await image.readWindow(c, window), preview.limits[c]));
  }
  const rgb = composeRgb(planes, window.height * window.width);
  const ids = [];
  for (const m of masks) ids.push(labelIdsAsNumbers(await m.labels.readWindow(window)));
  const data = overlay(rgb, ids, masks, window.height, window.width);
  return encodePng({ width: window.width, height: window.height, channels: 3, data });
}

/** Builds the segmentation section for `masks` (at least one) over `preview`. */
export async function segmentationSection(
  image: OmeZarrImage,
  preview: InputPreview,
  masks: readonly OverlayMask[],
  options: SegmentationSectionOptions = {},
): Promise<SegmentationSummary> {
  const g = preview.geometry;
  const previewIds: Float64Array[] = [];
  for (const m of masks) {
    const ids = new Float64Array(g.height * g.width);
    await samplePreview(labelsReader(m.labels), g, ids, options.onChunk);
    previewIds.push(ids);
  }
  const full = overlay(preview.composite, previewIds, masks, g.height, g.width);
  const fullPng = encodePng({ width: g.width, height: g.height, channels: 3, data: full });
  const nucleus = masks.findIndex((m) => m.name === "nucleus");
  const crops = chooseCropWindows(
    previewIds[nucleus >= 0 ? nucleus : 0],
    g,
    options.cropSize ??
      Math.min(384, Math.max(64, Math.round(Math.max(g.fullHeight, g.fullWidth) / 4))),
    options.crops ?? 2,
  );
  const cropFigures: string[] = [];
  for (const [i, w] of crops.entries()) {
    const png = await cropOverlay(image, preview, masks, w);
    cropFigures.push(
      `<figure>${pngImg(png, `crop ${i + 1}`, { id: `crop-${i}`, cls: "crop" })}` +
        `<figcaption>level 0, rows ${w.y}–${w.y + w.height - 1}, columns ${w.x}–` +
        `${w.x + w.width - 1}</figcaption></figure>`,
    );
  }
  const cellCounts: Record<string, number> = {};
  const plots: string[] = [];
  const rows: string[] = [];
  for (const m of masks) {
    const areas = await countLabelAreas(labelsReader(m.labels), options.onChunk);
    const values = Float64Array.from(areas.values()).sort();
    cellCounts[m.name] = values.length;
    const median = values.length ? values[Math.floor((values.length - 1) / 2)] : 0;
    const [r, gr, b] = m.color;
    rows.push(
      `<li><span class="swatch" style="background:rgb(${r},${gr},${b})"></span>` +
        `<b>${escapeHtml(m.name)}</b>: ${formatCount(values.length)} cells, median area ` +
        `${formatCount(median)} px</li>`,
    );
    plots.push(histogramSvg(values, {
      title: `${m.name} area`,
      xLabel: "area (px, level 0)",
      color: `rgb(${r},${gr},${b})`,
    }));
  }
  const html = `<ul class="legend" id="cell-counts">${rows.join("")}</ul>\n` +
    `<figure class="wide">${pngImg(fullPng, "mask outlines", { id: "overlay", cls: "preview" })}` +
    `<figcaption>Outlines on the ${g.width} × ${g.height} px preview (labels sampled like ` +
    `the image)</figcaption></figure>\n<h3>Zoomed crops</h3>\n` +
    `<div class="grid">${cropFigures.join("\n")}</div>\n<h3>Cell areas</h3>\n` +
    `<div class="grid">${plots.join("\n")}</div>`;
  return { section: { id: "segmentation", title: "Segmentation", html }, cellCounts, crops };
}
