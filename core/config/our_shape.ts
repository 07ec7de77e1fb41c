/**
 * Our config shape (`scportrait-deno`): its JSON schema and its normalisation (validate, fill
 * defaults, canonical forms). See `docs/readme/config.md` for the user-facing description.
 * @module
 */
import { PIPELINE_DEFAULTS, withDefaults } from "./defaults.ts";
import { applyDefaults, type JsonSchema, type SchemaIssue, validateJson } from "./json_schema.ts";
import type { PipelineConfig } from "./pipeline_config.ts";

/** The top-level keys of our shape. */
export const PIPELINE_KEYS: readonly string[] = [
  "name",
  "input",
  "stitching",
  "segmentation",
  "extraction",
  "featurization",
  "selection",
];

const workers: JsonSchema = {
  type: "integer",
  minimum: 1,
  maximum: 1024,
  description: "number of parallel workers",
};
const channelList: JsonSchema = {
  type: "array",
  items: { type: "integer", minimum: 0, maximum: 65535 },
  minItems: 1,
};

function methodStep(properties: Record<string, JsonSchema>): JsonSchema {
  return {
    type: "object",
    additionalProperties: false,
    required: ["method"],
    properties: {
      method: { type: "string", format: "method-ref" },
      params: { type: "object" },
      ...properties,
    },
  };
}

/** JSON schema of our shape, with the defaults of {@link PIPELINE_DEFAULTS}. */
export const PIPELINE_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: { type: "string" },
    input: {
      type: "object",
      additionalProperties: false,
      properties: {
        channels: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
      },
    },
    stitching: withDefaults(methodStep({}), PIPELINE_DEFAULTS.stitching),
    segmentation: withDefaults(
      methodStep({
        tile_size: { type: "integer", minimum: 64, maximum: 65536 },
        min_halo: { type: "integer", minimum: 0, maximum: 4096 },
        workers,
        nucleus_channels: channelList,
        cytosol_channels: channelList,
      }),
      PIPELINE_DEFAULTS.segmentation,
    ),
    extraction: withDefaults({
      type: "object",
      additionalProperties: false,
      properties: {
        image_size: { type: "integer", minimum: 2, maximum: 4096, multipleOf: 2 },
        normalize_output: { type: "boolean" },
        normalization_range: {
          type: "array",
          items: { type: "number", minimum: 0, maximum: 1 },
          minItems: 2,
          maxItems: 2,
        },
        compression: { enum: ["lzf", "gzip", "none"] },
        max_batch_size: { type: "integer", minimum: 1, maximum: 1_000_000 },
        segmentation_mask: {
          description: "a mask name or a list of mask names",
          oneOf: [
            { type: "string", minLength: 1 },
            { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, maxItems: 2 },
          ],
        },
        workers,
      },
    }, PIPELINE_DEFAULTS.extraction),
    featurization: withDefaults(
      methodStep({
        batch_size: { type: "integer", minimum: 1, maximum: 1_000_000 },
        label: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" },
        workers,
      }),
      PIPELINE_DEFAULTS.featurization,
    ),
    selection: withDefaults(
      methodStep({
        segmentation_channel: { type: "string", minLength: 1 },
        cell_width: { type: "integer", minimum: 1, maximum: 100_000 },
        workers,
      }),
      PIPELINE_DEFAULTS.selection,
    ),
  },
};

/** Result of {@link normalizePipeline}. */
export interface NormalizedPipeline {
  /** The normalised config (meaningful only when `issues` is empty). */
  config: PipelineConfig;
  /** Key paths that received a default. */
  applied: string[];
  /** Validation problems, all of them. */
  issues: SchemaIssue[];
}

function extraChecks(raw: Record<string, unknown>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const range = (raw.extraction as Record<string, unknown> | undefined)?.normalization_range;
  if (
    Array.isArray(range) && range.length === 2 && typeof range[0] === "number" &&
    typeof range[1] === "number" && !(range[0] < range[1])
  ) {
    const path = "extraction.normalization_range";
    const expected = "a lower quantile below the upper quantile";
    const found = JSON.stringify(range);
    issues.push({
      path,
      keyword: "order",
      expected,
      found,
      message: `${path}: expected ${expected}, found ${found}`,
    });
  }
  return issues;
}

/** Validates our shape and fills its defaults; collects every problem instead of stopping. */
export function normalizePipeline(raw: unknown): NormalizedPipeline {
  const issues = validateJson(PIPELINE_SCHEMA, raw);
  if (issues.length > 0) return { config: {}, applied: [], issues };
  const record = raw as Record<string, unknown>;
  const more = extraChecks(record);
  if (more.length > 0) return { config: {}, applied: [], issues: more };
  const { value, applied } = applyDefaults(PIPELINE_SCHEMA, record);
  const config = value as PipelineConfig;
  const mask = config.extraction?.segmentation_mask as unknown;
  if (typeof mask === "string") config.extraction!.segmentation_mask = [mask];
  return { config, applied, issues: [] };
}
