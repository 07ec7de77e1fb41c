/**
 * Gaussian blur of a binary mask as `skimage.filters.gaussian(mask, sigma, preserve_range=True)`
 * (scipy.ndimage.gaussian_filter, mode "nearest", truncate 4.0), in float64. Only the foreground
 * bounding box grown by the kernel radius can be non-zero, so only that region is computed.
 * @module
 */
import type { Box } from "./fill_holes.ts";

/** scipy's `_gaussian_kernel1d(sigma, 0, radius)` with `radius = int(truncate * sigma + 0.5)`. */
export function gaussianKernel(sigma: number, truncate = 4.0): Float64Array {
  const radius = Math.trunc(truncate * sigma + 0.5);
  const phi = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 / (sigma * sigma)) * i * i);
    phi[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < phi.length; i++) phi[i] /= sum;
  return phi;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Blurs the 0/1 `mask` (size×size) into `out` (zeroed outside the affected region) and returns the
 * region that may be non-zero. `tmp` is scratch of size×size floats.
 */
export function gaussianBlurMask(
  mask: Uint8Array,
  size: number,
  box: Box,
  kernel: Float64Array,
  out: Float64Array,
  tmp: Float64Array,
): Box {
  out.fill(0);
  if (box.y1 <= box.y0) return box;
  const r = (kernel.length - 1) >> 1;
  const region = {
    y0: Math.max(0, box.y0 - r),
    y1: Math.min(size, box.y1 + r),
    x0: Math.max(0, box.x0 - r),
    x1: Math.min(size, box.x1 + r),
  };
  const last = size - 1;
  // pass 1 along x (axis 1) on the rows that hold foreground, columns of the region;
  // scipy filters axis 0 first, but both passes are linear and exact up to rounding.
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * size;
    for (let x = region.x0; x < region.x1; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += kernel[k + r] * mask[row + clamp(x + k, 0, last)];
      tmp[row + x] = acc;
    }
  }
  // rows outside the box are zero in tmp; "nearest" replicates edge rows, which are zero unless
  // the box touches the edge — then clamp() picks a row inside the box.
  for (let y = region.y0; y < region.y1; y++) {
    for (let x = region.x0; x < region.x1; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) {
        const yy = clamp(y + k, 0, last);
        if (yy >= box.y0 && yy < box.y1) acc += kernel[k + r] * tmp[yy * size + x];
      }
      out[y * size + x] = acc;
    }
  }
  return region;
}
