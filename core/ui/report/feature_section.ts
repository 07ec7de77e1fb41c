/**
 * Feature plots: for every featurization table of the store, histograms (SVG) of its first
 * `maxColumns` features. This is the hook later plots (scatter, per-class) attach to: a
 * {@link FeaturePlot} turns one opened table into HTML.
 * @module
 */
import { escapeHtml, formatCount } from "./html_text.ts";
import type { FeatureTable } from "./feature_tables.ts";
import type { ReportSection } from "./report_section.ts";
import { histogramSvg } from "./svg_histogram.ts";

/** A plot kind for feature tables: gets an opened table, returns HTML. */
export type FeaturePlot = (table: FeatureTable) => Promise<string>;

/** Histograms of the first `maxColumns` features of a table (default 24). */
export function featureHistograms(maxColumns = 24): FeaturePlot {
  return async (table) => {
    const n = Math.min(maxColumns, table.columns.length);
    const plots: string[] = [];
    for (let j = 0; j < n; j++) {
      plots.push(histogramSvg(await table.column(j), {
        title: table.columns[j],
        xLabel: "value",
        width: 300,
        height: 190,
      }));
    }
    const more = table.columns.length > n
      ? `<p>${table.columns.length - n} more features not plotted.</p>`
      : "";
    return `<div class="grid">${plots.join("\n")}</div>${more}`;
  };
}

/** Builds the feature section from opened tables and the plot kinds to draw. */
export async function featureSection(
  tables: readonly FeatureTable[],
  plots: readonly FeaturePlot[] = [featureHistograms()],
): Promise<ReportSection> {
  const parts: string[] = [];
  for (const table of tables) {
    const head = `<h3 id="table-${escapeHtml(table.name)}">${escapeHtml(table.name)}</h3>` +
      `<p>${formatCount(table.nObs)} cells × ${formatCount(table.columns.length)} features</p>`;
    if (table.unsupported !== null) {
      parts.push(`${head}<p>${escapeHtml(table.unsupported)}.</p>`);
      continue;
    }
    const bodies: string[] = [];
    for (const plot of plots) bodies.push(await plot(table));
    parts.push(head + bodies.join("\n"));
  }
  return { id: "features", title: "Features", html: parts.join("\n") };
}
