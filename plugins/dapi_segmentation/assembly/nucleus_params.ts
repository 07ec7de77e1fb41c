/**
 * The parameters of scPortrait's `WGASegmentation` / `DAPISegmentation` sections that the
 * nucleus step reads, with scPortrait's meaning of a key's presence: no top-level quantiles = no
 * global normalisation, no `median_filter_size` = no median filter, `threshold` and
 * `median_block` both set = local threshold (else global Otsu), no `min_size`/`max_size` = the
 * log-normal size fit, no `contact_filter` = no contact filter.
 * @module
 */

import { invalidParams } from "../../sdk/assembly/errors";
import { JsonKind, JsonValue } from "../../sdk/assembly/json";
import { Params } from "../../sdk/assembly/params";

/** The object at `key` as Params, an empty object when absent; null (error recorded) if not. */
export function section(params: Params, key: string): Params | null {
  const v = params.get(key);
  if (v === null || v.kind == JsonKind.Null) return new Params(new JsonValue());
  if (v.kind != JsonKind.Object) {
    invalidParams("params." + key + " must be an object, got " + v.typeName());
    return null;
  }
  return new Params(v);
}

/** A quantile given as one number (all channels) or a list (one per channel). */
function quantileFor(params: Params, key: string, channel: i32, channels: i32, fb: f64): f64 {
  const v = params.get(key);
  if (v === null || v.kind == JsonKind.Null) return fb;
  if (v.kind == JsonKind.Array) {
    const list = params.numbers(key);
    if (list.length != channels) {
      invalidParams(
        "params." + key + " lists " + list.length.toString() + " quantiles but the method has " +
          channels.toString() + " input channel(s); give one per channel or a single number",
      );
      return fb;
    }
    const q = unchecked(list[channel]);
    if (!(q >= 0 && q <= 1)) invalidParams("params." + key + " values must be in [0, 1]");
    return q;
  }
  return params.numberIn(key, fb, 0, 1);
}

/** Global (top-level) preprocessing shared by the nucleus and cytosol steps. */
export class Preprocessing {
  /** Whether the top-level percentile normalisation runs. */
  normalize: bool = false;
  /** Lower quantile per input channel. */
  lower: f64[] = [];
  /** Upper quantile per input channel. */
  upper: f64[] = [];
  /** Disk radius of the median filter; -1 = none. */
  medianSize: i32 = -1;
  /** `filter_masks_size`. */
  filterSize: bool = false;

  /** Reads the top-level keys for a method with `channels` input channels. */
  static parse(params: Params, channels: i32): Preprocessing {
    const p = new Preprocessing();
    p.normalize = params.has("lower_quantile_normalization") ||
      params.has("upper_quantile_normalization");
    for (let c = 0; c < channels; c++) {
      p.lower.push(quantileFor(params, "lower_quantile_normalization", c, channels, 0));
      p.upper.push(quantileFor(params, "upper_quantile_normalization", c, channels, 1));
    }
    if (params.has("median_filter_size")) {
      p.medianSize = <i32> params.integer("median_filter_size", 0, 0, 1000);
    }
    p.filterSize = params.bool("filter_masks_size", false);
    return p;
  }
}

/** Size and contact filter settings of one mask section. */
export class MaskFilters {
  /** Lower size bound (pixels); -Infinity when only max_size is set, NaN = log-normal fit. */
  minSize: f64 = NaN;
  /** Upper size bound; +Infinity when only min_size is set, NaN = log-normal fit. */
  maxSize: f64 = NaN;
  /** Confidence interval of the log-normal fit. */
  confidence: f64 = 0.95;
  /** Contact-filter threshold; NaN = no contact filter. */
  contact: f64 = NaN;

  /** Reads `min_size`, `max_size`, `confidence_interval`, `contact_filter` of `s`. */
  static parse(s: Params): MaskFilters {
    const f = new MaskFilters();
    const hasMin = s.has("min_size");
    const hasMax = s.has("max_size");
    if (hasMin || hasMax) {
      f.minSize = hasMin ? s.numberIn("min_size", 0, 0, Infinity) : -Infinity;
      f.maxSize = hasMax ? s.numberIn("max_size", 0, 0, Infinity) : Infinity;
    }
    f.confidence = s.numberIn("confidence_interval", 0.95, 1e-9, 1 - 1e-9);
    if (s.has("contact_filter")) f.contact = s.numberIn("contact_filter", 0, 0, Infinity);
    return f;
  }
}

/** `nucleus_segmentation` keys. */
export class NucleusParams {
  /** Nucleus-specific normalisation on. */
  normalize: bool = false;
  /** Its lower quantile. */
  lower: f64 = 0;
  /** Its upper quantile. */
  upper: f64 = 1;
  /** Local threshold (threshold and median_block set) or global Otsu. */
  local: bool = false;
  /** Offset above the local median (local) — unused for Otsu. */
  threshold: f64 = 0;
  /** Side of the median block on the downsampled image (odd). */
  medianBlock: i32 = 0;
  /** Downsampling step of the local threshold. */
  medianStep: i32 = 1;
  /** Chebyshev spacing of peaks and border exclusion. */
  minDistance: i32 = 8;
  /** Disk radius of the peak maximum filter. */
  peakFootprint: i32 = 7;
  /** Erosion disk radius (dilation back with radius - 1). */
  speckleKernel: i32 = 9;
  /** Dilation of the mask the watershed fills. */
  dilation: i32 = 0;
  /** Size and contact filters. */
  filters: MaskFilters = new MaskFilters();

  /** Reads `params.nucleus_segmentation`; errors are recorded as invalid-params. */
  static parse(params: Params): NucleusParams | null {
    const s = section(params, "nucleus_segmentation");
    if (s === null) return null;
    const p = new NucleusParams();
    p.normalize = s.has("lower_quantile_normalization") ||
      s.has("upper_quantile_normalization");
    p.lower = s.numberIn("lower_quantile_normalization", 0, 0, 1);
    p.upper = s.numberIn("upper_quantile_normalization", 1, 0, 1);
    p.local = s.has("threshold") && s.has("median_block");
    p.threshold = s.number("threshold", 0);
    p.medianBlock = <i32> s.integer("median_block", 1, 1, 100001);
    p.medianStep = <i32> s.integer("median_step", 1, 1, 100000);
    if (p.local && (p.medianBlock & 1) == 0) {
      invalidParams(
        "params.nucleus_segmentation.median_block must be odd (skimage threshold_local), got " +
          p.medianBlock.toString(),
      );
    }
    p.minDistance = <i32> s.integer("min_distance", 8, 1, 10000);
    p.peakFootprint = <i32> s.integer("peak_footprint", 7, 1, 10000);
    p.speckleKernel = <i32> s.integer("speckle_kernel", 9, 1, 10000);
    p.dilation = <i32> s.integer("dilation", 0, 0, 10000);
    p.filters = MaskFilters.parse(s);
    return p;
  }
}
