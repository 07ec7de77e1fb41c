/**
 * Conversion of TIFF samples to the uint16 the pipeline works in: uint16 as is, uint8 × 255 (as
 * scPortrait; ×257 or ×1 on request), every other type rounded and clipped to [0, 65535].
 * @module
 */
import type { TiffDtype, TiffSampleArray } from "./tiff_sample_type.ts";

/** Factor applied to uint8 samples: 255 (scPortrait), 257 (full range) or 1 (unchanged). */
export type Uint8Scale = 255 | 257 | 1;

/** True when converting `dtype` to uint16 may clip or round values. */
export function conversionIsLossy(dtype: TiffDtype): boolean {
  return dtype !== "uint8" && dtype !== "uint16";
}

/**
 * Converts `data` of `dtype` to uint16. Returns `data` itself when it already is uint16, else the
 * values in `into` when it has `data.length` elements, else in a new array.
 */
export function convertToUint16(
  data: TiffSampleArray,
  dtype: TiffDtype,
  uint8Scale: Uint8Scale = 255,
  into?: Uint16Array,
): Uint16Array {
  if (data instanceof Uint16Array) return data;
  const out = into?.length === data.length ? into : new Uint16Array(data.length);
  if (dtype === "uint8") {
    for (let i = 0; i < data.length; i++) out[i] = data[i] * uint8Scale;
    return out;
  }
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(data[i]);
    // NaN fails both comparisons and becomes 0 through the Uint16Array store.
    out[i] = v <= 0 ? 0 : v >= 65535 ? 65535 : v;
  }
  return out;
}
