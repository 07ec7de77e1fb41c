/**
 * The input-image section: a preview of every channel (≤ `maxSide` px, sampled from a pyramid
 * level), auto-contrasted between the 0.1 and 99.9 percentiles of the preview pixels, and the RGB
 * composite of the first three channels (0 → red, 1 → green, 2 → blue). The composite and the
 * limits are reused by the segmentation overlay.
 * @module
 */
import type { OmeZarrImage } from "../../io/ome_zarr/ome_zarr_image.ts";
import { encodePng } from "../png/png_encoder.ts";
import { composeRgb, type ContrastLimits, percentileLimits, stretchToUint8 } from "./contrast.ts";
import { escapeHtml, formatCount, pngImg } from "./html_text.ts";
import {
  levelForPreview,
  type PreviewGeometry,
  previewGeometry,
  samplePreview,
} from "./preview_sampler.ts";
import { imageChannelReader } from "./raster_readers.ts";
import type { ReportSection } from "./report_section.ts";

/** The input preview, kept for the overlay. */
export interface InputPreview {
  /** Preview size and level-0 size. */
  geometry: PreviewGeometry;
  /** Pyramid level the preview was sampled from. */
  level: number;
  /** Display limits per channel (level-0 uint16 values). */
  limits: ContrastLimits[];
  /** RGB composite of the first three channels, interleaved. */
  composite: Uint8Array;
  /** The composite as PNG bytes. */
  compositePng: Uint8Array;
  /** The section. */
  section: ReportSection;
}

/** Reads the previews of `image` and builds the section. */
export async function inputSection(
  image: OmeZarrImage,
  options: { maxSide?: number; onChunk?: () => void } = {},
): Promise<InputPreview> {
  const geometry = previewGeometry(image.height, image.width, options.maxSide ?? 1024);
  const level = levelForPreview(image.levels, geometry);
  const pixels = geometry.height * geometry.width;
  const limits: ContrastLimits[] = [];
  const planes: Uint8Array[] = [];
  const figures: string[] = [];
  for (let c = 0; c < image.channels; c++) {
    const raw = new Uint16Array(pixels);
    await samplePreview(imageChannelReader(image, c), geometry, raw, options.onChunk);
    const lim = percentileLimits(raw);
    limits.push(lim);
    const plane = stretchToUint8(raw, lim);
    if (c < 3) planes.push(plane);
    const png = encodePng({
      width: geometry.width,
      height: geometry.height,
      channels: 1,
      data: plane,
    });
    const name = image.channelNames[c];
    figures.push(
      `<figure>${pngImg(png, `channel ${name}`, { id: `channel-${c}`, cls: "preview" })}` +
        `<figcaption>${c}: ${escapeHtml(name)} — display ${formatCount(lim.lo)}–` +
        `${formatCount(lim.hi)}</figcaption></figure>`,
    );
  }
  const composite = composeRgb(planes, pixels);
  const compositePng = encodePng({
    width: geometry.width,
    height: geometry.height,
    channels: 3,
    data: composite,
  });
  const names = image.channelNames.slice(0, 3);
  const legend = names.length === 1
    ? escapeHtml(names[0])
    : names.map((n, i) => `${["red", "green", "blue"][i]} = ${escapeHtml(n)}`).join(", ");
  const levelInfo = image.levels[level];
  const html = `<p>${formatCount(image.width)} × ${formatCount(image.height)} px, ` +
    `${image.channels} channel(s). Previews are ${geometry.width} × ${geometry.height} px, ` +
    `sampled from pyramid level ${level} (${levelInfo.width} × ${levelInfo.height} px); ` +
    `contrast from the 0.1–99.9 % percentiles of the preview.</p>\n` +
    `<figure class="wide">${
      pngImg(compositePng, "RGB composite", { id: "composite", cls: "preview" })
    }<figcaption>Composite: ${legend}</figcaption></figure>\n` +
    `<div class="grid">${figures.join("\n")}</div>`;
  return {
    geometry,
    level,
    limits,
    composite,
    compositePng,
    section: { id: "input-image", title: "Input image", html },
  };
}
