/**
 * scPortrait's own `config.yml` sections: the class names we recognise, the plugin each maps to,
 * and the JSON schema of each section's keys (types, ranges, required keys and scPortrait's
 * defaults from `defaults.ts`).
 * @module
 */
import {
  PYLMD_DEFAULTS,
  SCPORTRAIT_CELLPOSE_MODEL_DEFAULTS,
  SCPORTRAIT_CYTOSOL_ONLY_DEFAULTS,
  SCPORTRAIT_EXTRACTION_DEFAULTS,
  SCPORTRAIT_FEATURIZER_DEFAULTS,
  SCPORTRAIT_ML_CLASSIFIER_DEFAULTS,
  SCPORTRAIT_NUCLEAR_EXPANSION_DEFAULTS,
  SCPORTRAIT_NUCLEUS_CHANNEL_DEFAULTS,
  SCPORTRAIT_SEGMENTATION_DEFAULTS,
  SCPORTRAIT_SELECTION_DEFAULTS,
  SCPORTRAIT_TWO_CHANNEL_DEFAULTS,
  withDefaults,
} from "./defaults.ts";
import type { JsonSchema } from "./json_schema.ts";

/** The pipeline step a scPortrait class belongs to. */
export type ScportraitStep = "segmentation" | "extraction" | "featurization" | "selection";

/** What we know about one scPortrait class section. */
export interface ScportraitClass {
  /** Step of the class. */
  step: ScportraitStep;
  /** Plugin id it maps to (`@^0.1.0` is appended). */
  plugin: string;
  /** True when this repository ships the plugin; false → a warning at load, failure at install. */
  builtIn: boolean;
  /** True for `Sharded*` segmentation classes (they require shard_size/overlap_px/threads). */
  sharded: boolean;
  /** Schema of the section. */
  schema: JsonSchema;
}

const int = (minimum: number, maximum?: number): JsonSchema => ({
  type: "integer",
  minimum,
  maximum,
});
const num = (minimum?: number, maximum?: number): JsonSchema => ({
  type: "number",
  minimum,
  maximum,
});
const quantile = num(0, 1);
const quantileOrList: JsonSchema = {
  description: "a quantile in [0, 1] or a list of quantiles (one per channel)",
  oneOf: [quantile, { type: "array", items: quantile, minItems: 1 }],
};
const channelSel: JsonSchema = {
  description: "a channel index or a list of channel indices",
  oneOf: [int(0), { type: "array", items: int(0), minItems: 1 }],
};
const block = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: "object",
  additionalProperties: false,
  required,
  properties,
});
/** A top-level class section: a block that also accepts scPortrait's `cache` directory. */
const section = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema =>
  block({ cache: { type: "string" }, ...properties }, required);

const sizeFilterKeys: Record<string, JsonSchema> = {
  min_size: int(0),
  max_size: int(0),
  confidence_interval: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
  contact_filter: num(0),
};

const wgaNucleus = block({
  lower_quantile_normalization: quantile,
  upper_quantile_normalization: quantile,
  median_block: int(1),
  median_step: int(1),
  threshold: { type: "number" },
  min_distance: int(1),
  peak_footprint: int(1),
  speckle_kernel: int(1),
  dilation: int(0),
  ...sizeFilterKeys,
}, ["min_distance", "peak_footprint", "speckle_kernel", "dilation"]);

const wgaCytosol = block({
  threshold: { type: "number" },
  lower_quantile_normalization: quantile,
  upper_quantile_normalization: quantile,
  erosion: int(0),
  dilation: int(0),
  min_clip: num(0, 1),
  max_clip: num(0, 1),
  ...sizeFilterKeys,
}, ["erosion", "dilation", "min_clip", "max_clip"]);

const cellposeModel = withDefaults(
  block({
    model: { type: "string", minLength: 1 },
    model_path: { type: "string", minLength: 1 },
    diameter: { type: ["number", "null"], exclusiveMinimum: 0 },
    resample: { type: "boolean" },
    flow_threshold: num(0),
    cellprob_threshold: { type: "number" },
    normalize: { type: "boolean" },
    rescale: { type: ["number", "null"], exclusiveMinimum: 0 },
    ...sizeFilterKeys,
  }),
  SCPORTRAIT_CELLPOSE_MODEL_DEFAULTS,
);

function segmentation(
  sharded: boolean,
  algorithm: Record<string, JsonSchema>,
  required: string[],
  channelDefaults: Record<string, unknown>,
): JsonSchema {
  const common: Record<string, JsonSchema> = {
    chunk_size: int(1),
    match_masks: { type: "boolean" },
    filtering_threshold_mask_matching: num(0, 1),
    filter_masks_size: { type: "boolean" },
    filter_status: { type: "boolean" },
    segmentation_channel_nuclei: channelSel,
    segmentation_channel_cytosol: channelSel,
    combine_nucleus_channels: { type: "array", items: int(0), minItems: 2 },
    combine_cytosol_channels: { type: "array", items: int(0), minItems: 2 },
    threads: int(1, 1024),
    nGPUs: { description: 'an integer >= 0 or "max"', oneOf: [int(0), { const: "max" }] },
  };
  if (sharded) {
    common.shard_size = int(1);
    common.overlap_px = int(0, 4096);
  }
  const schema = section(
    { ...common, ...algorithm },
    sharded ? [...required, "shard_size", "overlap_px", "threads"] : required,
  );
  return withDefaults(schema, { ...SCPORTRAIT_SEGMENTATION_DEFAULTS, ...channelDefaults });
}

const wgaKeys = {
  lower_quantile_normalization: quantileOrList,
  upper_quantile_normalization: quantileOrList,
  median_filter_size: int(0, 1000),
  nucleus_segmentation: wgaNucleus,
  cytosol_segmentation: wgaCytosol,
};
const { cytosol_segmentation: _cytosol, ...dapiKeys } = wgaKeys;
const cellposeKeys: Record<string, JsonSchema> = {
  nucleus_segmentation: cellposeModel,
  cytosol_segmentation: cellposeModel,
  downsampling_factor: int(1),
  smoothing_kernel_size: int(0),
};
const expansionKeys = withDefaults(
  { properties: { ...cellposeKeys, kernel_size: int(0) } },
  SCPORTRAIT_NUCLEAR_EXPANSION_DEFAULTS,
).properties!;

const featurizerBase: Record<string, JsonSchema> = {
  batch_size: int(1),
  dataloader_worker_number: int(0),
  inference_device: { enum: ["cuda", "mps", "cpu", "auto", "automatic"] },
  label: { type: "string", minLength: 1 },
  channel_selection: channelSel,
  log_transform: { type: "boolean" },
};
const featurizer = (extra: Record<string, JsonSchema>, required: string[], defaults = {}) =>
  withDefaults(
    section({ ...featurizerBase, ...extra }, [
      "batch_size",
      "dataloader_worker_number",
      ...required,
    ]),
    { ...SCPORTRAIT_FEATURIZER_DEFAULTS, ...defaults },
  );
const mlKeys: Record<string, JsonSchema> = {
  network: { type: "string", minLength: 1 },
  encoders: { type: "array", items: { enum: ["forward", "encoder"] }, minItems: 1 },
  model_loading_strategy: { enum: ["max", "min", "latest", "path"] },
  hparams_path: { type: "string" },
  model_class: { type: "string" },
  model_type: { type: "string" },
  transforms: { type: "string" },
  expected_imagesize: { type: "array", items: int(1), minItems: 2, maxItems: 2 },
};

const lmdSelection = withDefaults(
  section({
    segmentation_channel: { type: "string", minLength: 1 },
    cell_width: int(1),
    threads: int(1, 1024),
    batch_size_coordinate_extraction: int(1),
    orientation_transform: {
      type: "array",
      items: { type: "array", items: { type: "number" }, minItems: 2, maxItems: 2 },
      minItems: 2,
      maxItems: 2,
    },
    processes_cell_sets: int(1, 1024),
    shape_dilation: int(0),
    shape_erosion: int(0),
    binary_smoothing: int(0),
    convolution_smoothing: int(1),
    rdp_epsilon: num(0),
    path_optimization: { enum: ["none", "hilbert", "greedy"] },
    greedy_k: int(0),
    hilbert_p: int(1, 16),
    xml_decimal_transform: num(0),
    distance_heuristic: num(0),
    join_intersecting: { type: "boolean" },
    smoothing_filter_size: num(0),
    poly_compression_factor: num(0),
  }, ["segmentation_channel"]),
  { ...SCPORTRAIT_SELECTION_DEFAULTS, ...PYLMD_DEFAULTS },
);

const extraction = withDefaults(
  section({
    threads: int(1, 1024),
    image_size: { type: "integer", minimum: 2, maximum: 4096, multipleOf: 2 },
    normalize_output: { description: "true, false or None", enum: [true, false, null, "None"] },
    normalization_range: {
      description: "a list [lower, upper] of quantiles in [0, 1], or None",
      oneOf: [
        { type: "array", items: quantile, minItems: 2, maxItems: 2 },
        { enum: [null, "None"] },
      ],
    },
    compression: { enum: [true, false, "lzf", "gzip"] },
    max_batch_size: int(1),
    target_ram_utilization: num(0, 1),
    max_inflight_result_batches: int(1),
    flush_every: int(1),
    segmentation_key: { type: "string", minLength: 1 },
    segmentation_mask: {
      description: "a mask name or a list of mask names",
      oneOf: [{ type: "string" }, { type: "array", items: { type: "string" }, minItems: 1 }],
    },
  }, ["threads", "image_size"]),
  SCPORTRAIT_EXTRACTION_DEFAULTS,
);

function seg(plugin: string, builtIn: boolean, make: (sharded: boolean) => JsonSchema) {
  return (sharded: boolean): ScportraitClass => ({
    step: "segmentation",
    plugin,
    builtIn,
    sharded,
    schema: make(sharded),
  });
}

const SEGMENTATION_FAMILIES: Record<string, (sharded: boolean) => ScportraitClass> = {
  WGASegmentation: seg(
    "wga-segmentation",
    true,
    (s) =>
      segmentation(s, wgaKeys, [
        "median_filter_size",
        "nucleus_segmentation",
        "cytosol_segmentation",
      ], SCPORTRAIT_TWO_CHANNEL_DEFAULTS),
  ),
  DAPISegmentation: seg(
    "dapi-segmentation",
    true,
    (s) => segmentation(s, dapiKeys, ["nucleus_segmentation"], SCPORTRAIT_NUCLEUS_CHANNEL_DEFAULTS),
  ),
  DAPISegmentationCellpose: seg(
    "dapi-segmentation-cellpose",
    false,
    (s) => segmentation(s, cellposeKeys, [], SCPORTRAIT_NUCLEUS_CHANNEL_DEFAULTS),
  ),
  NuclearExpansionSegmentationCellpose: seg(
    "nuclear-expansion-segmentation-cellpose",
    false,
    (s) => segmentation(s, expansionKeys, [], SCPORTRAIT_NUCLEUS_CHANNEL_DEFAULTS),
  ),
  CytosolSegmentationCellpose: seg(
    "cytosol-segmentation-cellpose",
    false,
    (s) => segmentation(s, cellposeKeys, [], SCPORTRAIT_TWO_CHANNEL_DEFAULTS),
  ),
  CytosolSegmentationDownsamplingCellpose: seg(
    "cytosol-segmentation-downsampling-cellpose",
    false,
    (s) => segmentation(s, cellposeKeys, ["downsampling_factor"], SCPORTRAIT_TWO_CHANNEL_DEFAULTS),
  ),
  CytosolOnlySegmentationCellpose: seg(
    "cytosol-only-segmentation-cellpose",
    false,
    (s) => segmentation(s, cellposeKeys, [], SCPORTRAIT_CYTOSOL_ONLY_DEFAULTS),
  ),
  CytosolOnlySegmentationDownsamplingCellpose: seg(
    "cytosol-only-segmentation-downsampling-cellpose",
    false,
    (s) => segmentation(s, cellposeKeys, ["downsampling_factor"], SCPORTRAIT_CYTOSOL_ONLY_DEFAULTS),
  ),
};

function other(step: ScportraitStep, plugin: string, builtIn: boolean, schema: JsonSchema) {
  return { step, plugin, builtIn, sharded: false, schema };
}

/** Every scPortrait class section we recognise, by its exact (class) name. */
export const SCPORTRAIT_CLASSES: Readonly<Record<string, ScportraitClass>> = {
  ...Object.fromEntries(
    Object.entries(SEGMENTATION_FAMILIES).flatMap(([name, make]) => [
      [name, make(false)],
      [`Sharded${name}`, make(true)],
    ]),
  ),
  HDF5CellExtraction: other("extraction", "", true, extraction),
  CellFeaturizer: other("featurization", "cell-featurizer", true, featurizer({}, [])),
  CellFeaturizer_single_channel: other(
    "featurization",
    "cell-featurizer-single-channel",
    false,
    featurizer({}, ["channel_selection"]),
  ),
  MLClusterClassifier: other(
    "featurization",
    "ml-cluster-classifier",
    false,
    featurizer(mlKeys, ["network", "label"], SCPORTRAIT_ML_CLASSIFIER_DEFAULTS),
  ),
  EnsembleClassifier: other(
    "featurization",
    "ensemble-classifier",
    false,
    featurizer({ ...mlKeys, network: { type: "object" } }, ["network"]),
  ),
  ConvNeXtFeaturizer: other("featurization", "convnext-featurizer", false, featurizer({}, [])),
  LMDSelection: other("selection", "lmd-selection", true, lmdSelection),
};
