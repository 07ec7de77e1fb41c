/**
 * The cell gallery: the first N cells of the `.h5sc`, one gray PNG per cell with its channels
 * side by side (masks first, as stored) separated by a 2-px white gap, captioned with the cell
 * id. Masks are shown as 255 where > 0; image channels are stretched min–max per cell and channel
 * (`round(255 · (v − min) / (max − min))`, a flat channel is black).
 * @module
 */
import type { H5scFile } from "../../io/h5sc/h5sc_reader.ts";
import { encodePng } from "../png/png_encoder.ts";
import { escapeHtml, formatCount, pngImg } from "./html_text.ts";
import type { ReportSection } from "./report_section.ts";

/** Gap between channels in a cell strip, px. */
export const GALLERY_GAP = 2;

/** The strip of one cell: `nChannels` planes of `S × S` float32, laid out side by side. */
export function cellStrip(
  planes: Float32Array,
  nChannels: number,
  size: number,
  nMasks: number,
): { width: number; height: number; data: Uint8Array } {
  const width = nChannels * size + (nChannels - 1) * GALLERY_GAP;
  const data = new Uint8Array(width * size).fill(255);
  const plane = size * size;
  for (let c = 0; c < nChannels; c++) {
    const p = planes.subarray(c * plane, (c + 1) * plane);
    let min = Infinity, max = -Infinity;
    for (const v of p) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const range = max - min;
    const x0 = c * (size + GALLERY_GAP);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = p[y * size + x];
        data[y * width + x0 + x] = c < nMasks
          ? (v > 0 ? 255 : 0)
          : (range > 0 ? Math.round(((v - min) * 255) / range) : 0);
      }
    }
  }
  return { width, height: size, data };
}

/** Builds the gallery of the first `count` cells of `file`. */
export function gallerySection(file: H5scFile, count = 48): ReportSection {
  const n = Math.min(count, file.nCells);
  const size = file.imageSize;
  const cells = n > 0 ? file.readRows(0, n) : new Float32Array(0);
  const per = file.nChannels * size * size;
  const figures: string[] = [];
  for (let i = 0; i < n; i++) {
    const strip = cellStrip(
      cells.subarray(i * per, (i + 1) * per),
      file.nChannels,
      size,
      file.nMasks,
    );
    const png = encodePng({ ...strip, channels: 1 });
    const id = file.cellIds[i].toString();
    figures.push(
      `<figure class="cell" data-cell-id="${id}">` +
        `${pngImg(png, `cell ${id}`, { cls: "cell" })}<figcaption>cell ${id}</figcaption></figure>`,
    );
  }
  const names = file.channelNames.map((name, c) =>
    `${escapeHtml(name)}${c < file.nMasks ? " (mask)" : ""}`
  ).join(" · ");
  const html = `<p>First ${formatCount(n)} of ${formatCount(file.nCells)} cells in ` +
    `${escapeHtml(file.path)} (${size} × ${size} px). Channels left to right: ${names}. Image ` +
    `channels are stretched min–max per cell.</p>\n<div class="gallery">${
      figures.join("\n")
    }</div>`;
  return { id: "cell-gallery", title: "Cell gallery", html };
}
