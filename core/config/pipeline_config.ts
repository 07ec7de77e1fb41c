/**
 * The normalised pipeline configuration ("our shape"): what every step driver reads. Keys are
 * snake_case as written in YAML, so the object serialises back to a config file unchanged. Every
 * step is optional; a present step has all its defaults filled in (see `defaults.ts`).
 * @module
 */

/** A JSON value as it crosses into a plugin (`params`). */
export type JsonValue = null | boolean | number | string | JsonValue[] | {
  [key: string]: JsonValue;
};

/** Plugin parameters: a JSON object validated later against the plugin manifest's schema. */
export type PluginParams = { [key: string]: JsonValue };

/** Input image description. */
export interface InputConfig {
  /** Channel names in image order (optional; otherwise taken from the image or `channel_<i>`). */
  channels?: string[];
}

/** Segmentation step: a segmentation plugin run tile by tile. */
export interface SegmentationConfig {
  /** `<plugin-id>@<semver-range>`, e.g. `wga-segmentation@^0.1.0` (see `parseMethodRef`). */
  method: string;
  /** Parameters passed to the plugin as JSON. */
  params: PluginParams;
  /** Side of the square host tiles in pixels (default 2048). */
  tile_size: number;
  /** Minimum halo around each tile in pixels; the host uses max(this, the manifest's halo). */
  min_halo?: number;
  /** Worker count (default: one per CPU core, decided at run time). */
  workers?: number;
  /** Input channels of the nucleus role; more than one → max-intensity projection (default [0]). */
  nucleus_channels: number[];
  /** Input channels of the cytosol role; more than one → max projection (default [1]). */
  cytosol_channels: number[];
}

/** Single-cell image extraction into `.h5sc`. */
export interface ExtractionConfig {
  /** Side S of each single-cell image in pixels; even (default 128). */
  image_size: number;
  /** Percentile-normalise each channel per cell (true) or divide by 65535 (false). Default true. */
  normalize_output: boolean;
  /** Lower and upper quantile (0–1) for normalisation (default [0.001, 0.999]). */
  normalization_range: [number, number];
  /** HDF5 filter of the image dataset (default "lzf"). */
  compression: "lzf" | "gzip" | "none";
  /** Largest batch of cells handed to one worker (default 1000). */
  max_batch_size: number;
  /** Mask names to extract (default: every `seg_all_*` mask present, nucleus first). */
  segmentation_mask?: string[];
  /** Worker count (default: one per CPU core). */
  workers?: number;
}

/** Featurization of the single-cell images. */
export interface FeaturizationConfig {
  /** `<plugin-id>@<semver-range>`, e.g. `cell-featurizer@^0.1.0`. */
  method: string;
  /** Parameters passed to the plugin as JSON. */
  params: PluginParams;
  /** Cells per batch (default 900). */
  batch_size: number;
  /** Name of the result tables (`<label>_nucleus`, …); default: derived from the method. */
  label?: string;
  /** Worker count (default: one per CPU core). */
  workers?: number;
}

/** Selection of cells into Leica LMD cutting shapes. */
export interface SelectionConfig {
  /** `<plugin-id>@<semver-range>`, e.g. `lmd-selection@^0.1.0`. */
  method: string;
  /** Parameters passed to the plugin as JSON (py-lmd keys for `lmd-selection`). */
  params: PluginParams;
  /** Labels element whose shapes are cut (default `seg_all_nucleus`). */
  segmentation_channel: string;
  /** Half-width in pixels of the crop searched for each cell's pixels (default 100). */
  cell_width: number;
  /** Worker count (default: one per CPU core). */
  workers?: number;
}

/** Stitching of tiled acquisitions (standalone, before a project exists). */
export interface StitchingConfig {
  /** `<plugin-id>@<semver-range>`. */
  method: string;
  /** Parameters passed to the plugin as JSON. */
  params: PluginParams;
}

/** The whole normalised configuration. */
export interface PipelineConfig {
  /** Project name. */
  name?: string;
  /** Input image description. */
  input?: InputConfig;
  /** Stitching step, if any. */
  stitching?: StitchingConfig;
  /** Segmentation step, if any. */
  segmentation?: SegmentationConfig;
  /** Extraction step, if any. */
  extraction?: ExtractionConfig;
  /** Featurization step, if any. */
  featurization?: FeaturizationConfig;
  /** Selection step, if any. */
  selection?: SelectionConfig;
}

/** The config format a file was written in. */
export type ConfigShape = "scportrait-deno" | "scportrait";

/** A loaded, validated and normalised config. */
export interface LoadedConfig {
  /** Where it came from: an absolute file path or the URL. */
  source: string;
  /** The raw text, byte-for-byte as read (so a project can copy it verbatim). */
  text: string;
  /** `scportrait-deno` (our shape) or `scportrait` (scPortrait's class-named sections). */
  shape: ConfigShape;
  /** The normalised config, defaults applied. */
  config: PipelineConfig;
  /** Key paths in `config` whose value is a default, not written in the file. */
  defaultsApplied: string[];
  /**
   * Where each mapped value came from (scPortrait shape only): key path in `config` → key path
   * in the file (e.g. `segmentation.tile_size` → `ShardedWGASegmentation.shard_size`).
   */
  origins: Record<string, string>;
  /** Things the user should know that are not errors (ignored keys, methods not built in). */
  warnings: string[];
}

/** A parsed `<plugin-id>@<semver-range>` method reference. */
export interface MethodRef {
  /** Plugin id, e.g. `wga-segmentation`. */
  id: string;
  /** SemVer range, e.g. `^0.1.0` (`*` when the reference has no `@`). */
  range: string;
}
