/**
 * Cutting shapes: every `selection/<name>.xml`, drawn as SVG polygons (one colour per well)
 * over the input composite after undoing the selection's orientation transform and scale, when
 * that puts the shapes on the image; otherwise plotted as they are in XML coordinates (x right,
 * y up). Calibration points are drawn as crosses.
 * @module
 */
import { escapeHtml, formatCount, pngDataUri } from "./html_text.ts";
import { type LmdFile, xmlToPixels } from "./lmd_shapes.ts";
import type { ReportSection } from "./report_section.ts";

/** The image the shapes may be drawn on. */
export interface SelectionBackdrop {
  /** Composite preview PNG. */
  png: Uint8Array;
  /** Preview size. */
  height: number;
  /** Preview width. */
  width: number;
  /** Level-0 size. */
  fullHeight: number;
  /** Level-0 width. */
  fullWidth: number;
}

/** One selection file to draw. */
export interface SelectionInput {
  /** File name without `.xml`. */
  name: string;
  /** Its contents. */
  file: LmdFile;
}

/** py-lmd's transform settings (from the config's selection params, else py-lmd defaults). */
export interface SelectionTransform {
  /** `orientation_transform` T (2 × 2). */
  orientation: number[][];
  /** `xml_decimal_transform` s. */
  scale: number;
}

const PALETTE = ["#ff4fa3", "#35d0ff", "#ffd23f", "#7dff6b", "#ff8a3d", "#b18cff", "#ffffff"];

function wellColors(file: LmdFile): Map<string, string> {
  const wells = [...new Set(file.shapes.map((s) => s.well ?? ""))].sort();
  return new Map(wells.map((w, i) => [w, PALETTE[i % PALETTE.length]]));
}

function polyline(points: readonly [number, number][]): string {
  return points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(" ");
}

function cross([x, y]: [number, number], r: number): string {
  return `<path class="cal" d="M${x - r},${y}H${x + r}M${x},${y - r}V${y + r}" ` +
    `stroke="#fff" stroke-width="${r / 4}"/>`;
}

/** SVG of `file` over the backdrop (pixel frame) or alone (XML frame), and which frame it used. */
export function selectionSvg(
  file: LmdFile,
  transform: SelectionTransform,
  backdrop: SelectionBackdrop | null,
): { svg: string; frame: "image" | "xml" } {
  const colors = wellColors(file);
  const toPx = xmlToPixels(transform.orientation, transform.scale);
  if (backdrop !== null && toPx !== null && file.shapes.length > 0) {
    const { height: ph, width: pw, fullHeight: H, fullWidth: W } = backdrop;
    const sy = ph / H, sx = pw / W;
    let inside = 0, total = 0;
    const mapped = file.shapes.map((s) =>
      s.points.map((p) => {
        const [r, c] = toPx(p);
        total++;
        if (r >= -0.05 * H && r <= 1.05 * H && c >= -0.05 * W && c <= 1.05 * W) inside++;
        return [c * sx, r * sy] as [number, number];
      })
    );
    if (inside >= 0.9 * total) {
      const polys = mapped.map((pts, i) =>
        `<polygon points="${polyline(pts)}" fill="none" stroke="${
          colors.get(file.shapes[i].well ?? "")
        }" stroke-width="${Math.max(1, pw / 600).toFixed(2)}"><title>shape ${i + 1}${
          file.shapes[i].well ? ` (${escapeHtml(file.shapes[i].well!)})` : ""
        }</title></polygon>`
      ).join("");
      const cal = file.calibration.map((p) => {
        const [r, c] = toPx(p);
        return cross([c * sx, r * sy], Math.max(4, pw / 80));
      }).join("");
      return {
        frame: "image",
        svg: `<svg class="shapes" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${pw} ${ph}" ` +
          `width="${pw}" height="${ph}"><image href="${pngDataUri(backdrop.png)}" width="${pw}" ` +
          `height="${ph}"/>${polys}${cal}</svg>`,
      };
    }
  }
  // XML frame: y up, so flip y for SVG
  const all = [...file.calibration, ...file.shapes.flatMap((s) => s.points)];
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs, 0), x1 = Math.max(...xs, 1);
  const y0 = Math.min(...ys, 0), y1 = Math.max(...ys, 1);
  const span = Math.max(x1 - x0, y1 - y0);
  const pad = span * 0.03;
  const f = (p: readonly [number, number]): [number, number] => [p[0] - x0 + pad, y1 - p[1] + pad];
  const w = x1 - x0 + 2 * pad, h = y1 - y0 + 2 * pad;
  const polys = file.shapes.map((s) =>
    `<polygon points="${polyline(s.points.map(f))}" fill="none" stroke="${
      colors.get(s.well ?? "")
    }" stroke-width="${(span / 500).toFixed(2)}"/>`
  ).join("");
  const cal = file.calibration.map((p) => cross(f(p), span / 60)).join("");
  return {
    frame: "xml",
    svg: `<svg class="shapes xml" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" ` +
      `width="640" height="${Math.round((640 * h) / w)}"><rect width="${w}" height="${h}" ` +
      `fill="#222"/>${polys}${cal}</svg>`,
  };
}

/** Builds the selection section. */
export function selectionSection(
  inputs: readonly SelectionInput[],
  transform: SelectionTransform,
  backdrop: SelectionBackdrop | null,
): ReportSection {
  const parts = inputs.map(({ name, file }) => {
    const { svg, frame } = selectionSvg(file, transform, backdrop);
    const colors = wellColors(file);
    const wells = [...colors].map(([w, color]) =>
      `<span class="swatch" style="background:${color}"></span>${escapeHtml(w || "no well")}: ${
        formatCount(file.shapes.filter((s) => (s.well ?? "") === w).length)
      }`
    ).join(" &nbsp; ");
    const points = file.shapes.reduce((n, s) => n + s.points.length, 0);
    const where = frame === "image"
      ? `drawn on the image (orientation transform ${
        escapeHtml(JSON.stringify(transform.orientation))
      } and scale ${transform.scale} undone)`
      : "plotted in XML coordinates (the transform does not map them onto the image)";
    return `<h3 id="selection-${escapeHtml(name)}">${escapeHtml(name)}.xml</h3>` +
      `<p>${formatCount(file.shapes.length)} shapes, ${formatCount(points)} points, ` +
      `${file.calibration.length} calibration points; ${where}.</p><p>${wells}</p>` +
      `<figure class="wide" data-frame="${frame}">${svg}</figure>`;
  });
  return { id: "selection", title: "Cutting shapes", html: parts.join("\n") };
}
