/**
 * Histograms as inline SVG: bins as numpy's `histogram(values, bins)` (equal-width bins over
 * [min, max], the last bin closed), bars, axes with min / max ticks, a title and axis labels.
 * Non-finite values are left out and counted in the caption.
 * @module
 */
import { escapeHtml } from "./html_text.ts";

/** Options of {@link histogramSvg}. */
export interface HistogramOptions {
  /** Title above the plot. */
  title: string;
  /** Label of the x axis. */
  xLabel: string;
  /** Number of bins (default 30). */
  bins?: number;
  /** Width in px (default 360). */
  width?: number;
  /** Height in px (default 220). */
  height?: number;
  /** Bar colour (default a blue). */
  color?: string;
}

/** Counts per bin and the bin range, as `numpy.histogram`. */
export interface HistogramBins {
  /** Count of each bin. */
  counts: number[];
  /** Lower edge of the first bin. */
  min: number;
  /** Upper edge of the last bin. */
  max: number;
  /** Number of non-finite values left out. */
  skipped: number;
}

/** Bins `values` into `bins` equal-width bins over [min, max] (a single value: [v−0.5, v+0.5]). */
export function histogramBins(values: ArrayLike<number>, bins = 30): HistogramBins {
  let min = Infinity, max = -Infinity, skipped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      skipped++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (min > max) return { counts, min: 0, max: 1, skipped };
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  }
  return { counts, min, max, skipped };
}

function tick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}

/** An SVG histogram of `values`. */
export function histogramSvg(values: ArrayLike<number>, options: HistogramOptions): string {
  const { title, xLabel, bins = 30, width = 360, height = 220, color = "#3b78b8" } = options;
  const h = histogramBins(values, bins);
  const left = 44, right = 10, top = 24, bottom = 38;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const peak = Math.max(1, ...h.counts);
  const barW = plotW / bins;
  const bars = h.counts.map((n, i) => {
    const bh = (n / peak) * plotH;
    return `<rect x="${(left + i * barW).toFixed(2)}" y="${(top + plotH - bh).toFixed(2)}" ` +
      `width="${Math.max(0.5, barW - 1).toFixed(2)}" height="${bh.toFixed(2)}" fill="${color}">` +
      `<title>${tick(h.min + i * (h.max - h.min) / bins)}–` +
      `${tick(h.min + (i + 1) * (h.max - h.min) / bins)}: ${n}</title></rect>`;
  }).join("");
  const n = values.length - h.skipped;
  const caption = `n = ${n}${h.skipped ? `, ${h.skipped} non-finite left out` : ""}`;
  return `<svg class="plot" xmlns="http://www.w3.org/2000/svg" width="${width}" ` +
    `height="${height}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-label="${escapeHtml(title)}">` +
    `<text x="${width / 2}" y="15" text-anchor="middle" class="t">${escapeHtml(title)}</text>` +
    bars +
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" ` +
    `stroke="#444"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" ` +
    `stroke="#444"/>` +
    `<text x="${left}" y="${top + plotH + 13}" class="k">${tick(h.min)}</text>` +
    `<text x="${left + plotW}" y="${top + plotH + 13}" text-anchor="end" class="k">` +
    `${tick(h.max)}</text>` +
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end" class="k">${peak}</text>` +
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end" class="k">0</text>` +
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle" class="k">` +
    `${escapeHtml(xLabel)} (${caption})</text></svg>`;
}
