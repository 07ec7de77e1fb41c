/**
 * The readable table `scportrait status` prints: one row per thing a project can hold, with a
 * mark (`yes` / `no` / `unfinished`) and the detail (channels and shape, counts, sizes, names).
 * @module
 */
import type { ProjectStatus } from "./project_status.ts";

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function counts(status: ProjectStatus, prefix: string): string {
  const parts = Object.entries(status.cellCounts)
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => `${k.slice(k.lastIndexOf(".") + 1)} ${v}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** Renders `status` as an aligned text table with a header line and notes. */
export function formatProjectStatus(status: ProjectStatus): string {
  const unfinished = new Set(status.unfinishedElements);
  const mark = (present: boolean, key?: string) =>
    present ? "yes" : key !== undefined && unfinished.has(key) ? "unfinished" : "no";
  const image = status.inputImage;
  const rows: [string, string, string][] = [
    [
      "input image",
      mark(status.sdata.input_images, "images/input_image"),
      image
        ? `${image.shape.join(" × ")} ${image.dtype}; channels ${image.channels.join(", ")}`
        : "",
    ],
    [
      "nucleus segmentation",
      mark(status.sdata.nucleus_segmentation, "labels/seg_all_nucleus"),
      counts(status, "segmentation.nucleus").trim(),
    ],
    [
      "cytosol segmentation",
      mark(status.sdata.cytosol_segmentation, "labels/seg_all_cytosol"),
      counts(status, "segmentation.cytosol").trim(),
    ],
    ["nucleus centers", mark(status.sdata.nucleus_centers, "points/centers_seg_all_nucleus"), ""],
    ["cytosol centers", mark(status.sdata.cytosol_centers, "points/centers_seg_all_cytosol"), ""],
    [
      "extraction (.h5sc)",
      mark(status.extraction !== null),
      status.extraction
        ? `${bytesText(status.extraction.bytes)}${counts(status, "extraction.")}`
        : "",
    ],
    [
      "featurization tables",
      mark(status.featurizationTables.length > 0),
      status.featurizationTables.join(", "),
    ],
    ["selections (LMD XML)", mark(status.selections.length > 0), status.selections.join(", ")],
    [
      "plugins pinned",
      mark(status.plugins.length > 0),
      status.plugins.map((p) => `${p.id}@${p.version}`).join(", "),
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [`project ${status.root}`, ""];
  for (const [what, present, detail] of rows) {
    lines.push(`  ${what.padEnd(w0)}  ${present.padEnd(w1)}  ${detail}`.trimEnd());
  }
  lines.push("", `  step runs recorded: ${status.provenanceRecords} (provenance.json)`);
  for (const run of status.incomplete) {
    const label = run.name === undefined ? run.step : `${run.step} "${run.name}"`;
    lines.push(
      `  incomplete: ${label} — ${run.unitsDone} units done, ` +
        `${run.failed ? "failed" : "interrupted"}; rerun it to resume, or use --overwrite`,
    );
  }
  for (const element of status.unfinishedElements) lines.push(`  unfinished element: ${element}`);
  for (const warning of status.warnings) lines.push(`  warning: ${warning}`);
  return lines.join("\n");
}
