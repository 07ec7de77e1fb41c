/**
 * Gaussian blur of a binary mask as `skimage.filters.gaussian(mask, sigma, preserve_range=True)`
 * (scipy.ndimage.gaussian_filter, mode "nearest", truncate 4.0), in float64. Only the foreground
 * bounding box grown by the kernel radius can be non-zero, so only that region is computed.
 * Pass 1 (along x) of a 0/1 row depends only on the 2r+1 mask bits under the kernel, so it is a
 * lookup in a table of the kernel sums of every bit pattern, summed in kernel order — the same
 * float64 additions as the direct loop (a zero term adds nothing), hence the same bits.
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

const patternTables = new WeakMap<Float64Array, Float64Array>();

/**
 * Sums of `kernel` over every bit pattern of its taps (bit 2r is tap −r … bit 0 is tap +r), added
 * in tap order as `Σ kernel[k] · mask[x+k]` would be. Kernels longer than 16 taps get no table.
 */
function patternTable(kernel: Float64Array): Float64Array | undefined {
  if (kernel.length > 16) return undefined;
  let table = patternTables.get(kernel);
  if (!table) {
    const n = kernel.length;
    table = new Float64Array(1 << n);
    for (let p = 0; p < table.length; p++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += kernel[t] * ((p >> (n - 1 - t)) & 1);
      table[p] = acc;
    }
    patternTables.set(kernel, table);
  }
  return table;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Blurs the 0/1 `mask` (size×size) into `out` (zeroed outside the affected region) and returns the
 * region that may be non-zero. `tmp` is scratch of size×size floats. `dirty`, when given, is the
 * only part of `out` that may be non-zero now (the region this returned for `out` last time): only
 * it is cleared instead of the whole plane.
 */
export function gaussianBlurMask(
  mask: Uint8Array,
  size: number,
  box: Box,
  kernel: Float64Array,
  out: Float64Array,
  tmp: Float64Array,
  dirty?: Box,
): Box {
  if (!dirty) out.fill(0);
  else {
    for (let y = dirty.y0; y < dirty.y1; y++) out.fill(0, y * size + dirty.x0, y * size + dirty.x1);
  }
  if (box.y1 <= box.y0) return box;
  const r = (kernel.length - 1) >> 1;
  const region = {
    y0: Math.max(0, box.y0 - r),
    y1: Math.min(size, box.y1 + r),
    x0: Math.max(0, box.x0 - r),
    x1: Math.min(size, box.x1 + r),
  };
  const last = size - 1;
  const table = patternTable(kernel);
  // pass 1 along x (axis 1) on the rows that hold foreground, columns of the region;
  // scipy filters axis 0 first, but both passes are linear and exact up to rounding.
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * size;
    if (table) {
      const keep = table.length - 1;
      let p = 0;
      for (let k = -r; k < r; k++) p = (p << 1) | mask[row + clamp(region.x0 + k, 0, last)];
      for (let x = region.x0; x < region.x1; x++) {
        const e = x + r;
        p = ((p << 1) | mask[row + (e > last ? last : e)]) & keep;
        tmp[row + x] = table[p];
      }
    } else {
      for (let x = region.x0; x < region.x1; x++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) acc += kernel[k + r] * mask[row + clamp(x + k, 0, last)];
        tmp[row + x] = acc;
      }
    }
  }
  // rows outside the box are zero in tmp; "nearest" replicates edge rows, which are zero unless
  // the box touches the edge — then clamp() picks a row inside the box.
  const edge = box.y0 === 0 || box.y1 === size;
  for (let y = region.y0; y < region.y1; y++) {
    if (edge) {
      for (let x = region.x0; x < region.x1; x++) {
        let acc = 0;
        for (let k = -r; k <= r; k++) {
          const yy = clamp(y + k, 0, last);
          if (yy >= box.y0 && yy < box.y1) acc += kernel[k + r] * tmp[yy * size + x];
        }
        out[y * size + x] = acc;
      }
      continue;
    }
    // interior: taps outside [box.y0, box.y1) read zero rows and add nothing
    const k0 = Math.max(-r, box.y0 - y), k1 = Math.min(r, box.y1 - 1 - y);
    const o = y * size;
    for (let x = region.x0; x < region.x1; x++) out[o + x] = 0;
    for (let k = k0; k <= k1; k++) {
      const w = kernel[k + r];
      const src = (y + k) * size;
      for (let x = region.x0; x < region.x1; x++) out[o + x] += w * tmp[src + x];
    }
  }
  return region;
}
