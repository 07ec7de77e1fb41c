// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * `cytosol_segmentation` keys of scPortrait's `WGASegmentation`, with upstream's meaning of
 * presence: no `threshold` = global Otsu of the cytosol plane, no quantiles = no cytosol
 * normalisation, no `min_size`/`max_size` = the log-normal size fit.
 * @module
 */

import { invalidParams } from "../../sdk/assembly/errors";
import { Params } from "../../sdk/assembly/params";
import { MaskFilters, section } from "../../dapi_segmentation/assembly/nucleus_params";

/** `cytosol_segmentation` settings. */
export class CytosolParams {
  /** Cytosol-specific normalisation on. */
  normalize: bool = false;
  /** Its lower quantile. */
  lower: f64 = 0;
  /** Its upper quantile. */
  upper: f64 = 1;
  /** Background threshold set (else global Otsu). */
  hasThreshold: bool = false;
  /** Pixels below it are background. */
  threshold: f64 = 0;
  /** Grey dilation of the background (shrinks cells). */
  erosion: i32 = 2;
  /** Binary erosion of the background (grows cells). */
  dilation: i32 = 7;
  /** Lower clip of the potential map. */
  minClip: f64 = 0;
  /** Upper clip of the potential map. */
  maxClip: f64 = 0.2;
  /** Size and contact filters. */
  filters: MaskFilters = new MaskFilters();

  /** Reads `params.cytosol_segmentation`; errors are recorded as invalid-params. */
  static parse(params: Params): CytosolParams | null {
    const s = section(params, "cytosol_segmentation");
    if (s === null) return null;
    const p = new CytosolParams();
    p.normalize = s.has("lower_quantile_normalization") ||
      s.has("upper_quantile_normalization");
    p.lower = s.numberIn("lower_quantile_normalization", 0, 0, 1);
    p.upper = s.numberIn("upper_quantile_normalization", 1, 0, 1);
    p.hasThreshold = s.has("threshold");
    p.threshold = s.number("threshold", 0);
    p.erosion = <i32> s.integer("erosion", 2, 0, 10000);
    p.dilation = <i32> s.integer("dilation", 7, 0, 10000);
    p.minClip = s.numberIn("min_clip", 0, 0, 1);
    p.maxClip = s.numberIn("max_clip", 0.2, 0, 1);
    if (!(p.maxClip > p.minClip)) {
      invalidParams(
        "params.cytosol_segmentation.max_clip (" + p.maxClip.toString() +
          ") must be greater than min_clip (" + p.minClip.toString() + ")",
      );
    }
    p.filters = MaskFilters.parse(s);
    return p;
  }
}
