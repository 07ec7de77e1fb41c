/**
 * scPortrait's `config.yml` accepted as it is: detect it, validate each class section with
 * scPortrait's rules and defaults, and map it onto our shape, recording where each value came
 * from. The mapping table is documented in `docs/readme/config.md`.
 * @module
 */
import { joinPath } from "./json_describe.ts";
import { applyDefaults, type SchemaIssue, validateJson } from "./json_schema.ts";
import { nearestKey } from "./nearest_key.ts";
import { PIPELINE_KEYS } from "./our_shape.ts";
import type { ConfigShape } from "./pipeline_config.ts";
import { SCPORTRAIT_CLASSES, type ScportraitClass } from "./scportrait_sections.ts";

/** Version range written for every mapped method. */
export const MAPPED_METHOD_RANGE = "^0.1.0";

type Dict = Record<string, unknown>;

/** Result of {@link mapScportraitConfig}: our shape before our own validation and defaults. */
export interface MappedScportrait {
  /** The config in our shape (defaults of our shape not yet applied). */
  raw: Dict;
  /** Paths in `raw` whose value came from a scPortrait default. */
  applied: string[];
  /** Path in `raw` → path in the scPortrait file. */
  origins: Record<string, string>;
  /** Notes for the user. */
  warnings: string[];
  /** Validation problems of the scPortrait sections (key paths in the file). */
  issues: SchemaIssue[];
}

/**
 * Which shape a parsed config has: `scportrait` when a top-level key is a scPortrait class name
 * (or looks like one: starts with an upper-case letter), `scportrait-deno` otherwise; `mixed` when
 * it has both class sections and our step keys.
 */
export function detectShape(raw: Dict): ConfigShape | "mixed" {
  const keys = Object.keys(raw).filter((k) => k !== "name");
  const classLike = keys.some((k) => k in SCPORTRAIT_CLASSES || /^[A-Z]/.test(k));
  const ours = keys.some((k) => PIPELINE_KEYS.includes(k));
  if (classLike && ours) return "mixed";
  return classLike ? "scportrait" : "scportrait-deno";
}

/** `shard_size` (max pixels per shard) → tile side: ⌊√shard_size⌋ down to a multiple of 256, ≥ 256. */
export function tileSizeFromShardSize(shardSize: number): number {
  const side = Math.floor(Math.sqrt(shardSize));
  return Math.min(65536, Math.max(256, Math.floor(side / 256) * 256));
}

class Mapper {
  readonly raw: Dict = {};
  readonly applied: string[] = [];
  readonly origins: Record<string, string> = {};
  readonly warnings: string[] = [];
  constructor(readonly defaulted: Set<string>) {}

  set(target: string, value: unknown, source: string): void {
    const parts = target.split(".");
    let node = this.raw;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Dict;
    node[parts[parts.length - 1]] = structuredClone(value);
    this.origins[target] = source;
    if (this.defaulted.has(source)) this.applied.push(target);
  }

  /** Copies a value, descending into mappings so every leaf gets its own origin. */
  setTree(target: string, value: unknown, source: string): void {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0) this.set(target, {}, source);
      for (const [k, v] of entries) this.setTree(`${target}.${k}`, v, joinPath(source, k));
    } else {
      this.set(target, value, source);
    }
  }

  userSet(source: string): boolean {
    return !this.defaulted.has(source);
  }
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function mapSegmentation(m: Mapper, name: string, cls: ScportraitClass, s: Dict): void {
  m.set("segmentation.method", `${cls.plugin}@${MAPPED_METHOD_RANGE}`, name);
  const src = (k: string) => `${name}.${k}`;
  const usesMatching = cls.plugin.includes("cellpose");
  m.set("segmentation.params", {}, name);
  delete m.origins["segmentation.params"];
  for (const [key, value] of Object.entries(s)) {
    switch (key) {
      case "cache":
      case "chunk_size":
      case "filter_status":
        break;
      case "shard_size":
        m.set("segmentation.tile_size", tileSizeFromShardSize(value as number), src(key));
        break;
      case "overlap_px":
        m.set("segmentation.min_halo", value, src(key));
        break;
      case "threads":
        if (m.userSet(src(key))) m.set("segmentation.workers", value, src(key));
        break;
      case "nGPUs":
        m.warnings.push(`${src(key)} is ignored: segmentation runs on CPU workers here`);
        break;
      case "segmentation_channel_nuclei":
        if (!("combine_nucleus_channels" in s)) {
          m.set("segmentation.nucleus_channels", asList(value), src(key));
        }
        break;
      case "segmentation_channel_cytosol":
        if (!("combine_cytosol_channels" in s)) {
          m.set("segmentation.cytosol_channels", asList(value), src(key));
        }
        break;
      case "combine_nucleus_channels":
        m.set("segmentation.nucleus_channels", value, src(key));
        break;
      case "combine_cytosol_channels":
        m.set("segmentation.cytosol_channels", value, src(key));
        break;
      case "match_masks":
      case "filtering_threshold_mask_matching":
        if (usesMatching) m.setTree(`segmentation.params.${key}`, value, src(key));
        break;
      default:
        m.setTree(`segmentation.params.${key}`, value, src(key));
    }
  }
}

function mapExtraction(m: Mapper, name: string, s: Dict): void {
  const src = (k: string) => `${name}.${k}`;
  for (const [key, value] of Object.entries(s)) {
    switch (key) {
      case "threads":
        m.set("extraction.workers", value, src(key));
        break;
      case "image_size":
      case "max_batch_size":
        m.set(`extraction.${key}`, value, src(key));
        break;
      case "normalize_output":
        m.set("extraction.normalize_output", value === true, src(key));
        break;
      case "normalization_range":
        if (Array.isArray(value)) m.set("extraction.normalization_range", value, src(key));
        break;
      case "compression":
        m.set(
          "extraction.compression",
          value === true || value === "lzf" ? "lzf" : value === "gzip" ? "gzip" : "none",
          src(key),
        );
        break;
      case "segmentation_mask":
        m.set("extraction.segmentation_mask", asList(value), src(key));
        break;
      case "segmentation_key":
        if (value !== "seg_all") {
          m.warnings.push(
            `${src(key)} "${value}" is not supported: name the masks with segmentation_mask`,
          );
        }
        break;
      case "target_ram_utilization":
      case "max_inflight_result_batches":
      case "flush_every":
        if (m.userSet(src(key))) {
          m.warnings.push(`${src(key)} is ignored: extraction memory is bounded by design here`);
        }
        break;
    }
  }
}

const FEATURIZER_HOST_KEYS = new Set([
  "cache",
  "batch_size",
  "dataloader_worker_number",
  "inference_device",
  "label",
]);

function mapFeaturization(m: Mapper, name: string, cls: ScportraitClass, s: Dict): void {
  const src = (k: string) => `${name}.${k}`;
  m.set("featurization.method", `${cls.plugin}@${MAPPED_METHOD_RANGE}`, name);
  m.set("featurization.params", {}, name);
  delete m.origins["featurization.params"];
  m.set("featurization.batch_size", s.batch_size, src("batch_size"));
  if (s.label !== undefined) m.set("featurization.label", s.label, src("label"));
  if (s.inference_device === "cuda" || s.inference_device === "mps") {
    m.warnings.push(`${src("inference_device")} "${s.inference_device}" is ignored: runs on CPU`);
  }
  const cellFeaturizer = name === "CellFeaturizer";
  if (cellFeaturizer && m.userSet(src("channel_selection")) && "channel_selection" in s) {
    m.warnings.push(`${src("channel_selection")} is ignored: CellFeaturizer uses all channels`);
  }
  for (const [key, value] of Object.entries(s)) {
    if (FEATURIZER_HOST_KEYS.has(key)) continue;
    if (cellFeaturizer) continue;
    m.setTree(`featurization.params.${key}`, value, src(key));
  }
}

const SELECTION_DROPPED = new Set([
  "cache",
  "processes_cell_sets",
  "batch_size_coordinate_extraction",
]);

function mapSelection(m: Mapper, name: string, cls: ScportraitClass, s: Dict): void {
  const src = (k: string) => `${name}.${k}`;
  m.set("selection.method", `${cls.plugin}@${MAPPED_METHOD_RANGE}`, name);
  m.set("selection.params", {}, name);
  delete m.origins["selection.params"];
  for (const [key, value] of Object.entries(s)) {
    if (SELECTION_DROPPED.has(key)) continue;
    if (key === "segmentation_channel" || key === "cell_width") {
      m.set(`selection.${key}`, value, src(key));
    } else if (key === "threads") {
      if (m.userSet(src(key))) m.set("selection.workers", value, src(key));
    } else if (key === "smoothing_filter_size" || key === "poly_compression_factor") {
      const actual = key === "smoothing_filter_size" ? "convolution_smoothing" : "rdp_epsilon";
      m.warnings.push(
        `${src(key)} is a legacy key that py-lmd ignores; it is dropped. ` +
          `Set ${actual} instead (now ${JSON.stringify(s[actual])})`,
      );
    } else {
      m.setTree(`selection.params.${key}`, value, src(key));
    }
  }
}

function unknownSection(key: string): SchemaIssue {
  const suggestion = nearestKey(key, Object.keys(SCPORTRAIT_CLASSES));
  const expected = "a scPortrait class section (e.g. WGASegmentation, HDF5CellExtraction, " +
    "CellFeaturizer, LMDSelection) or name";
  let message = `${key}: expected ${expected}, found an unknown section`;
  if (suggestion !== undefined) message += `; did you mean "${suggestion}"?`;
  return {
    path: key,
    keyword: "additionalProperties",
    expected,
    found: "an unknown section",
    suggestion,
    message,
  };
}

/** Validates scPortrait class sections, applies scPortrait's defaults, maps onto our shape. */
export function mapScportraitConfig(raw: Dict): MappedScportrait {
  const issues: SchemaIssue[] = [];
  if (raw.name !== undefined) {
    issues.push(...validateJson({ type: "string" }, raw.name, { path: "name" }));
  }
  const sections: [string, ScportraitClass, Dict][] = [];
  const defaulted = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    if (key === "name") continue;
    const cls = SCPORTRAIT_CLASSES[key];
    if (!cls) {
      issues.push(unknownSection(key));
      continue;
    }
    const found = validateJson(cls.schema, value ?? {}, { path: key });
    issues.push(...found);
    if (found.length > 0) continue;
    const { value: full, applied } = applyDefaults(cls.schema, value ?? {}, { path: key });
    applied.forEach((p) => defaulted.add(p));
    sections.push([key, cls, full as Dict]);
  }
  const m = new Mapper(defaulted);
  if (issues.length > 0) return { raw: {}, applied: [], origins: {}, warnings: [], issues };
  if (typeof raw.name === "string") m.set("name", raw.name, "name");
  const used = new Map<string, string>();
  for (const [name, cls, s] of sections) {
    const first = used.get(cls.step);
    if (first !== undefined) {
      m.warnings.push(
        `${name} is ignored: ${first} already configures the ${cls.step} step ` +
          `(this runtime runs one method per step; keep the section you want first)`,
      );
      continue;
    }
    used.set(cls.step, name);
    if (!cls.builtIn) {
      m.warnings.push(
        `${name} maps to plugin ${cls.plugin}@${MAPPED_METHOD_RANGE}, which is not built in: ` +
          `install it from a registry that provides it, or the ${cls.step} step will fail`,
      );
    }
    if (cls.step === "segmentation") mapSegmentation(m, name, cls, s);
    else if (cls.step === "extraction") mapExtraction(m, name, s);
    else if (cls.step === "featurization") mapFeaturization(m, name, cls, s);
    else mapSelection(m, name, cls, s);
  }
  return { raw: m.raw, applied: m.applied, origins: m.origins, warnings: m.warnings, issues: [] };
}
