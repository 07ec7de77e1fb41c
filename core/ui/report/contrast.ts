/**
 * Display contrast: percentile limits (numpy `quantile`, linear, from an exact uint16 histogram)
 * and the linear stretch of uint16 samples to 8 bits, plus the RGB composite of up to three
 * stretched channels (channel 0 → red, 1 → green, 2 → blue).
 * @module
 */
import { accumulateU16, newHistogramU16 } from "../../kernels/histogram_u16.ts";
import { quantilesFromHistogram } from "../../kernels/global_stats.ts";

/** Display limits: values ≤ `lo` are black, ≥ `hi` white. */
export interface ContrastLimits {
  /** Lower limit. */
  lo: number;
  /** Upper limit. */
  hi: number;
}

/** Limits at the `lowQ` and `highQ` quantiles (default 0.1 % and 99.9 %) of `data`. */
export function percentileLimits(
  data: Uint16Array,
  lowQ = 0.001,
  highQ = 0.999,
): ContrastLimits {
  if (data.length === 0) return { lo: 0, hi: 0 };
  const hist = newHistogramU16();
  accumulateU16(hist, data);
  const [lo, hi] = quantilesFromHistogram(hist, [lowQ, highQ]);
  return { lo, hi };
}

/** `round(255 · clip((v − lo) / (hi − lo), 0, 1))`; a flat range maps to 0 (or 255 above it). */
export function stretchToUint8(data: ArrayLike<number>, limits: ContrastLimits): Uint8Array {
  const { lo, hi } = limits;
  const out = new Uint8Array(data.length);
  const range = hi - lo;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v <= lo ? 0 : v >= hi ? (hi > lo ? 255 : 0) : Math.round(((v - lo) * 255) / range);
  }
  return out;
}

/** Interleaves up to three 8-bit planes as RGB (missing planes are black; one plane → gray). */
export function composeRgb(planes: readonly Uint8Array[], pixels: number): Uint8Array {
  const rgb = new Uint8Array(pixels * 3);
  if (planes.length === 1) {
    const g = planes[0];
    for (let i = 0; i < pixels; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g[i];
    return rgb;
  }
  planes.slice(0, 3).forEach((plane, c) => {
    for (let i = 0; i < pixels; i++) rgb[3 * i + c] = plane[i];
  });
  return rgb;
}
