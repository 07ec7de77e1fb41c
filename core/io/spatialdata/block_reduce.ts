/**
 * Fast in-memory reductions of one 2-D block by an integer factor, the kernels of the pyramid:
 * block mean truncated to the integer type (xarray `coarsen(boundary="trim").mean().astype(...)`)
 * and nearest (top-left pixel of each block, `a[::f, ::f]`). The remainder rows/columns are
 * trimmed, so an `h × w` block gives `⌊h/f⌋ × ⌊w/f⌋`.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { Downsampling, RasterArray } from "./pyramid.ts";

/** A 2-D block of samples, row-major. */
export interface Block {
  /** Samples (`h * w`). */
  data: RasterArray;
  /** Rows. */
  h: number;
  /** Columns. */
  w: number;
}

function sameType(data: RasterArray, n: number): RasterArray {
  const Ctor = data.constructor as new (n: number) => RasterArray;
  return new Ctor(n);
}

/** Reduces `block` by `factor` along both axes with `mode`. */
export function reduceBlock(block: Block, factor: number, mode: Downsampling): Block {
  const { data, w } = block;
  const oh = Math.floor(block.h / factor);
  const ow = Math.floor(w / factor);
  const out = sameType(data, oh * ow);
  if (mode === "nearest") {
    for (let oy = 0; oy < oh; oy++) {
      const rowIn = oy * factor * w;
      const rowOut = oy * ow;
      for (let ox = 0; ox < ow; ox++) out[rowOut + ox] = data[rowIn + ox * factor];
    }
    return { data: out, h: oh, w: ow };
  }
  if (data instanceof BigUint64Array) {
    throw new ScportraitError(
      "STORE_INVALID",
      "Mean downsampling of uint64 data is not supported: use nearest (labels) or uint16.",
    );
  }
  const target = out as Exclude<RasterArray, BigUint64Array>;
  if (factor === 2 && data.BYTES_PER_ELEMENT <= 2) {
    halve(data as Uint8Array | Uint16Array, w, oh, ow, target);
    return { data: out, h: oh, w: ow };
  }
  const n = factor * factor;
  // Uint32 sums are exact for 8/16-bit samples up to factor 256; wider samples sum in float64.
  const sums = data.BYTES_PER_ELEMENT <= 2 && n <= 65536
    ? new Uint32Array(ow)
    : new Float64Array(ow);
  for (let oy = 0; oy < oh; oy++) {
    sums.fill(0);
    for (let k = 0; k < factor; k++) {
      const row = (oy * factor + k) * w;
      if (factor === 2) {
        for (let ox = 0, x = row; ox < ow; ox++, x += 2) sums[ox] += data[x] + data[x + 1];
      } else {
        for (let ox = 0, x = row; ox < ow; ox++) {
          let s = 0;
          for (let j = 0; j < factor; j++, x++) s += data[x];
          sums[ox] += s;
        }
      }
    }
    const rowOut = oy * ow;
    for (let ox = 0; ox < ow; ox++) target[rowOut + ox] = Math.floor(sums[ox] / n);
  }
  return { data: out, h: oh, w: ow };
}

/**
 * 2×2 means of 8/16-bit samples, two input rows at a time: the sum of four values is exact in
 * int32 arithmetic and `>>> 2` is the truncated mean (the first pyramid level, the hot loop).
 */
function halve(
  data: Uint8Array | Uint16Array,
  w: number,
  oh: number,
  ow: number,
  out: Exclude<RasterArray, BigUint64Array>,
): void {
  for (let oy = 0; oy < oh; oy++) {
    let a = 2 * oy * w;
    let b = a + w;
    const end = oy * ow + ow;
    for (let o = oy * ow; o < end; o++, a += 2, b += 2) {
      out[o] = (data[a] + data[a + 1] + data[b] + data[b + 1]) >>> 2;
    }
  }
}

/**
 * Applies `factors` one after another (each to the previous result), returning every
 * intermediate level: element `i` is the block reduced by `factors[0] * … * factors[i]`.
 */
export function reduceChain(block: Block, factors: readonly number[], mode: Downsampling): Block[] {
  const out: Block[] = [];
  let current = block;
  for (const f of factors) {
    current = reduceBlock(current, f, mode);
    out.push(current);
  }
  return out;
}
