/**
 * The report's overview: project, config source, input image, the step history from
 * `provenance.json` (status, duration, plugin, cell counts), pinned plugins and unfinished runs.
 * @module
 */
import type { ProjectStatus } from "../../project/project_status.ts";
import type { ProvenanceRecord } from "../../project/provenance.ts";
import { formatDuration } from "../progress.ts";
import { escapeHtml, formatBytes, formatCount, htmlTable } from "./html_text.ts";
import type { ReportSection } from "./report_section.ts";

/** What the overview shows. */
export interface OverviewInput {
  /** Project folder name. */
  name: string;
  /** Where the config came from (`config.resolved.json` `source`), if known. */
  configSource: string | null;
  /** The project status. */
  status: ProjectStatus;
  /** Step records, oldest first. */
  steps: readonly ProvenanceRecord[];
}

function counts(record: ProvenanceRecord): string {
  const entries = Object.entries(record.counts ?? {});
  return entries.map(([k, v]) => `${escapeHtml(k)}: ${formatCount(v)}`).join("<br>");
}

function stepRow(record: ProvenanceRecord): string[] {
  const cls = record.status === "ok" ? "ok" : "bad";
  const error = record.error ? `<br><small>${escapeHtml(record.error)}</small>` : "";
  return [
    escapeHtml(record.step + (record.name ? ` / ${record.name}` : "")),
    `<span class="${cls}">${escapeHtml(record.status)}</span>${error}`,
    escapeHtml(record.started.replace("T", " ").replace(/\.\d+Z$/, "Z")),
    escapeHtml(formatDuration(record.duration_s)),
    escapeHtml(record.plugin ?? "—"),
    counts(record) || "—",
  ];
}

/** Builds the overview section. */
export function overviewSection(input: OverviewInput): ReportSection {
  const { status } = input;
  const facts: string[][] = [
    ["Project", escapeHtml(status.root)],
    ["Config", escapeHtml(input.configSource ?? "config.yml")],
  ];
  if (status.inputImage) {
    const [c, h, w] = status.inputImage.shape;
    facts.push([
      "Input image",
      `${formatCount(c)} channels × ${formatCount(h)} × ${formatCount(w)} px ` +
      `(${escapeHtml(status.inputImage.dtype)}): ${
        status.inputImage.channels.map(escapeHtml).join(", ")
      }`,
    ]);
  } else facts.push(["Input image", "not loaded"]);
  const masks = [
    status.sdata.nucleus_segmentation ? "nucleus" : null,
    status.sdata.cytosol_segmentation ? "cytosol" : null,
  ].filter((m) => m !== null);
  facts.push(["Segmentation masks", masks.length ? masks.join(", ") : "none"]);
  if (status.extraction) {
    facts.push([
      "Single-cell dataset",
      `${escapeHtml(status.extraction.path)} (${formatBytes(status.extraction.bytes)})`,
    ]);
  }
  if (status.featurizationTables.length) {
    facts.push(["Feature tables", status.featurizationTables.map(escapeHtml).join(", ")]);
  }
  if (status.selections.length) {
    facts.push(["Selections", status.selections.map((s) => escapeHtml(`${s}.xml`)).join(", ")]);
  }
  if (status.plugins.length) {
    facts.push([
      "Pinned plugins",
      status.plugins.map((p) => escapeHtml(`${p.id}@${p.version}`)).join(", "),
    ]);
  }
  const factTable = `<table class="facts"><tbody>${
    facts.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")
  }</tbody></table>`;
  const history = input.steps.length
    ? htmlTable(
      ["step", "status", "started (UTC)", "duration", "plugin", "counts"],
      input.steps.map(stepRow),
    )
    : "<p>No step has run yet (provenance.json is empty).</p>";
  const unfinished = status.incomplete.length
    ? `<p class="bad">Unfinished runs (rerun the step to resume): ${
      status.incomplete.map((r) =>
        escapeHtml(
          `${r.step}${r.name ? `/${r.name}` : ""} (${r.unitsDone} units done${
            r.failed ? ", failed" : ""
          })`,
        )
      ).join(", ")
    }</p>`
    : "";
  const warnings = status.warnings.map((w) => `<p class="bad">${escapeHtml(w)}</p>`).join("");
  return {
    id: "overview",
    title: `Project ${input.name}`,
    html: `${factTable}\n<h3>Steps run</h3>\n${history}\n${unfinished}${warnings}`,
  };
}
