/**
 * `buildReport(project)`: writes one self-contained `report.html` for a project — overview and
 * step history always; input previews, segmentation overlays, cell gallery, feature plots and
 * cutting shapes when their data exists. Rasters are read from pyramid levels and level-0 crops
 * or chunks only, never a whole level 0. A section whose data cannot be read shows the error and
 * the rest of the report is still written.
 * @module
 */
import * as path from "node:path";
import { PYLMD_DEFAULTS, SCPORTRAIT_SELECTION_DEFAULTS } from "../../config/defaults.ts";
import { openH5sc } from "../../io/h5sc/h5sc_reader.ts";
import { writeFileAtomic } from "../../io/atomic_file.ts";
import { Project } from "../../project/project.ts";
import { Progress } from "../progress.ts";
import { type FeatureTable, openFeatureTable } from "./feature_tables.ts";
import { featureSection } from "./feature_section.ts";
import { gallerySection } from "./gallery_section.ts";
import { escapeHtml } from "./html_text.ts";
import { type InputPreview, inputSection } from "./input_section.ts";
import { areaChunkCount } from "./label_areas.ts";
import { parseLmdXml } from "./lmd_shapes.ts";
import { overviewSection } from "./overview_section.ts";
import { previewChunkCount, previewGeometry } from "./preview_sampler.ts";
import { labelsReader } from "./raster_readers.ts";
import { renderReportPage } from "./report_page.ts";
import type { ReportSection } from "./report_section.ts";
import { MASK_COLORS, type OverlayMask, segmentationSection } from "./segmentation_section.ts";
import {
  type SelectionInput,
  selectionSection,
  type SelectionTransform,
} from "./selection_section.ts";

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** Output file (default `<project>/report.html`). */
  out?: string;
  /** Cells in the gallery (default 48). */
  cells?: number;
  /** Longest side of previews in px (default 1024). */
  maxSide?: number;
  /** Side of the zoomed level-0 crops in px (default 384, or a quarter of the image if smaller). */
  cropSize?: number;
  /** Silence progress output. */
  quiet?: boolean;
  /** Progress sink (default stderr). */
  write?: (line: string) => void;
}

/** What was written. */
export interface ReportResult {
  /** Absolute path of the HTML file. */
  path: string;
  /** Ids of the sections written, in order. */
  sections: string[];
  /** File size in bytes. */
  bytes: number;
  /** Seconds per section id, and `total`. */
  seconds: Record<string, number>;
  /** Cells per mask counted on level 0 (empty without masks). */
  cellCounts: Record<string, number>;
  /** Sections that could not be built, with the reason. */
  warnings: string[];
}

function errorSection(id: string, title: string, error: unknown): ReportSection {
  return {
    id,
    title,
    html: `<p class="bad">This section could not be built: ${
      escapeHtml(error instanceof Error ? error.message : String(error))
    }</p>`,
  };
}

async function selectionTransform(project: Project): Promise<SelectionTransform> {
  const fallback = {
    orientation: SCPORTRAIT_SELECTION_DEFAULTS.orientation_transform.map((r) => [...r]),
    scale: PYLMD_DEFAULTS.xml_decimal_transform,
  };
  try {
    const params = (await project.loadConfig()).config.selection?.params ?? {};
    const t = params.orientation_transform;
    const s = params.xml_decimal_transform;
    const valid = Array.isArray(t) && t.length === 2 &&
      t.every((r) => Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === "number"));
    return {
      orientation: valid ? t as number[][] : fallback.orientation,
      scale: typeof s === "number" ? s : fallback.scale,
    };
  } catch {
    return fallback;
  }
}

async function configSource(file: string): Promise<string | null> {
  try {
    const doc = JSON.parse(await Deno.readTextFile(file)) as { source?: unknown };
    return typeof doc.source === "string" ? doc.source : null;
  } catch {
    return null;
  }
}

/** Builds the report of the project at `dir` and writes it; returns where and what. */
export async function buildReport(
  dir: string,
  options: BuildReportOptions = {},
): Promise<ReportResult> {
  const started = performance.now();
  const project = await Project.open(dir);
  const paths = project.paths;
  const out = path.resolve(options.out ?? path.join(paths.root, "report.html"));
  const status = await project.status();
  const seconds: Record<string, number> = {};
  const warnings: string[] = [];
  const sections: ReportSection[] = [];
  let cellCounts: Record<string, number> = {};
  const timed = async (id: string, title: string, make: () => Promise<ReportSection | null>) => {
    const t0 = performance.now();
    try {
      const section = await make();
      if (section !== null) sections.push(section);
    } catch (error) {
      warnings.push(`${title}: ${(error as Error).message}`);
      sections.push(errorSection(id, title, error));
    }
    seconds[id] = (performance.now() - t0) / 1000;
  };
  const name = path.basename(paths.root);
  await timed("overview", "Overview", async () =>
    overviewSection({
      name,
      configSource: await configSource(paths.resolvedConfig),
      status,
      steps: (await project.provenance()).steps,
    }));

  let preview: InputPreview | null = null;
  if (status.inputImage) {
    const store = await project.openStore();
    const image = await store.openImage("input_image");
    const masks: OverlayMask[] = [];
    for (const mask of ["cytosol", "nucleus"]) {
      const flag = mask === "nucleus" ? "nucleus_segmentation" : "cytosol_segmentation";
      if (!status.sdata[flag]) continue;
      const labels = await store.openLabels(`seg_all_${mask}`).catch((e) => {
        warnings.push(`labels seg_all_${mask}: ${(e as Error).message}`);
        return null;
      });
      if (labels) masks.push({ name: mask, labels, color: MASK_COLORS[mask] });
    }
    const maxSide = options.maxSide ?? 1024;
    const g = previewGeometry(image.height, image.width, maxSide);
    const total = image.channels * previewChunkCount(image.levels, g) +
      masks.reduce(
        (n, m) =>
          n + previewChunkCount(m.labels.levels, g) + areaChunkCount(labelsReader(m.labels)),
        0,
      );
    const progress = new Progress("report: reading image and masks", {
      total,
      unit: "chunks",
      quiet: options.quiet,
      write: options.write,
    });
    const onChunk = () => progress.advance();
    await timed("input-image", "Input image", async () => {
      preview = await inputSection(image, { maxSide, onChunk });
      return preview.section;
    });
    if (masks.length > 0 && preview !== null) {
      const p: InputPreview = preview;
      await timed("segmentation", "Segmentation", async () => {
        const summary = await segmentationSection(image, p, masks, {
          cropSize: options.cropSize,
          onChunk,
        });
        cellCounts = summary.cellCounts;
        return summary.section;
      });
    }
    progress.finish();
  }

  if (status.extraction) {
    await timed("cell-gallery", "Cell gallery", async () => {
      const file = await openH5sc(paths.h5sc);
      try {
        return gallerySection(file, options.cells ?? 48);
      } finally {
        file.close();
      }
    });
  }

  if (status.featurizationTables.length > 0) {
    await timed("features", "Features", async () => {
      const tables: FeatureTable[] = [];
      for (const t of status.featurizationTables) {
        tables.push(await openFeatureTable(paths.sdata, t));
      }
      return await featureSection(tables);
    });
  }

  if (status.selections.length > 0) {
    await timed("selection", "Cutting shapes", async () => {
      const inputs: SelectionInput[] = [];
      for (const s of status.selections) {
        const file = paths.selectionXml(s);
        inputs.push({ name: s, file: parseLmdXml(await Deno.readTextFile(file), file) });
      }
      const p = preview as InputPreview | null;
      const backdrop = p === null ? null : {
        png: p.compositePng,
        ...p.geometry,
      };
      return selectionSection(inputs, await selectionTransform(project), backdrop);
    });
  }

  const html = renderReportPage(
    `scPortrait report: ${name}`,
    `${paths.root} — generated ${new Date().toISOString()}`,
    sections,
  );
  await Deno.mkdir(path.dirname(out), { recursive: true });
  const bytes = new TextEncoder().encode(html);
  await writeFileAtomic(out, bytes);
  seconds.total = (performance.now() - started) / 1000;
  return {
    path: out,
    sections: sections.map((s) => s.id),
    bytes: bytes.length,
    seconds,
    cellCounts,
    warnings,
  };
}
