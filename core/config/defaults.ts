/**
 * Every default value of the configuration, in one place: our shape's defaults and scPortrait's
 * (taken from scPortrait's code, see the spec §1.7, §3.1–3.7, §4.4, §5.1, §6.5). Schemas get their
 * `default`s from these tables through {@link withDefaults}; `applyDefaults` then fills them in
 * and reports each filled key path, which `LoadedConfig.defaultsApplied` lists.
 * @module
 */
import type { JsonSchema } from "./json_schema.ts";

/** Defaults of our shape, per step. A step that is absent stays absent. */
export const PIPELINE_DEFAULTS = {
  segmentation: { params: {}, tile_size: 2048, nucleus_channels: [0], cytosol_channels: [1] },
  extraction: {
    image_size: 128,
    normalize_output: true,
    normalization_range: [0.001, 0.999],
    compression: "lzf",
    max_batch_size: 1000,
  },
  featurization: { params: {}, batch_size: 900 },
  selection: { params: {}, segmentation_channel: "seg_all_nucleus", cell_width: 100 },
  stitching: { params: {} },
} as const;

/** scPortrait defaults shared by every segmentation class (`Segmentation._check_config` etc.). */
export const SCPORTRAIT_SEGMENTATION_DEFAULTS = {
  chunk_size: 50,
  match_masks: true,
  filtering_threshold_mask_matching: 0.95,
  filter_masks_size: false,
  filter_status: true,
} as const;

/** Default channel roles of scPortrait's two-channel segmentation classes. */
export const SCPORTRAIT_TWO_CHANNEL_DEFAULTS = {
  segmentation_channel_nuclei: [0],
  segmentation_channel_cytosol: [1],
} as const;

/** Default channel role of scPortrait's one-channel nucleus classes (DAPI, nuclear expansion). */
export const SCPORTRAIT_NUCLEUS_CHANNEL_DEFAULTS = { segmentation_channel_nuclei: [0] } as const;

/** Default channel roles of scPortrait's cytosol-only Cellpose classes. */
export const SCPORTRAIT_CYTOSOL_ONLY_DEFAULTS = { segmentation_channel_cytosol: [0, 1] } as const;

/** Defaults of a Cellpose model section (`nucleus_segmentation` / `cytosol_segmentation`). */
export const SCPORTRAIT_CELLPOSE_MODEL_DEFAULTS = {
  diameter: null,
  resample: true,
  flow_threshold: 0.4,
  cellprob_threshold: 0.0,
  normalize: true,
  rescale: null,
} as const;

/** `NuclearExpansionSegmentationCellpose` expansion radius. */
export const SCPORTRAIT_NUCLEAR_EXPANSION_DEFAULTS = { kernel_size: 20 } as const;

/** `HDF5CellExtraction` defaults (spec §4.4). */
export const SCPORTRAIT_EXTRACTION_DEFAULTS = {
  normalize_output: true,
  normalization_range: [0.001, 0.999],
  compression: true,
  max_batch_size: 1000,
  target_ram_utilization: 0.85,
  segmentation_key: "seg_all",
} as const;

/** Defaults shared by scPortrait's featurizers (`_FeaturizationBase`). */
export const SCPORTRAIT_FEATURIZER_DEFAULTS = {
  inference_device: "auto",
  log_transform: false,
} as const;

/** `MLClusterClassifier` defaults. */
export const SCPORTRAIT_ML_CLASSIFIER_DEFAULTS = {
  encoders: ["forward"],
  model_loading_strategy: "max",
  model_class: "MultilabelSupervisedModel",
} as const;

/** `LMDSelection` defaults read by scPortrait itself (spec §6.5). */
export const SCPORTRAIT_SELECTION_DEFAULTS = {
  cell_width: 100,
  threads: 10,
  batch_size_coordinate_extraction: 100,
  orientation_transform: [[0, -1], [1, 0]],
  processes_cell_sets: 1,
} as const;

/** py-lmd `SegmentationLoader` defaults for the keys `LMDSelection` passes through (spec §6.5). */
export const PYLMD_DEFAULTS = {
  shape_dilation: 0,
  shape_erosion: 0,
  binary_smoothing: 3,
  convolution_smoothing: 15,
  rdp_epsilon: 0.1,
  path_optimization: "hilbert",
  greedy_k: 0,
  hilbert_p: 7,
  xml_decimal_transform: 100,
  distance_heuristic: 300,
  join_intersecting: true,
} as const;

/**
 * A copy of an object schema whose `properties` named in `table` carry the table's value as
 * `default`. Nested tables (plain objects) recurse into the property's own `properties` when it
 * has some; otherwise the object itself becomes the default.
 */
export function withDefaults(
  schema: JsonSchema,
  table: Readonly<Record<string, unknown>>,
): JsonSchema {
  const properties = { ...schema.properties };
  for (const [key, value] of Object.entries(table)) {
    const prop = properties[key] ?? {};
    const nested = typeof value === "object" && value !== null && !Array.isArray(value) &&
      prop.properties !== undefined;
    properties[key] = nested
      ? withDefaults(prop, value as Record<string, unknown>)
      : { ...prop, default: structuredClone(value) };
  }
  return { ...schema, properties };
}
