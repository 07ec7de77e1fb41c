/**
 * The per-cell computation of scPortrait's extraction (spec §4.1): for each mask, pixels `== id`
 * → fill holes → Gaussian σ=1; every image channel × the last mask; per-channel percentile
 * normalisation over the whole masked window (zeros included) or / 65535; stacked masks first and
 * stored as float16 (bit patterns in a Uint16Array). Reads the window straight out of larger tiles, so
 * nothing is copied first. float16 values are stored through a `Float16Array` view: V8 converts a
 * double straight to binary16 with round-to-nearest-even (as numpy's `astype(np.float16)`; no
 * double rounding through float32), about 3× faster than the integer conversion.
 * @module
 */
import { type Box, fillHoles } from "./fill_holes.ts";
import { gaussianBlurMask, gaussianKernel } from "./gaussian_blur.ts";
import {
  normalizeValue,
  quantileFromTop,
  quantileWithZerosSelect,
  upperRankCount,
} from "./quantile.ts";
import type { LabelBoxes } from "./label_boxes.ts";

/** Tiles the window is cut from; all share one width and origin. */
export interface CellTiles {
  /** Label tiles, one per mask (nucleus first): uint64 ids, or uint32 when every id fits. */
  labels: (BigUint64Array | Uint32Array)[];
  /** Image tiles, one per channel, uint16. */
  image: Uint16Array[];
  /** Width of every tile in pixels. */
  tileWidth: number;
  /** Optional per-mask id boxes of the label tiles ({@link labelBoxes}): limits the mask scan. */
  boxes?: LabelBoxes[];
}

/** Normalisation settings. */
export interface CellStackOptions {
  /** Percentile normalisation (true) or value / 65535 (false). */
  normalization: boolean;
  /** Lower and upper quantile (0–1). */
  range: readonly [number, number];
}

/** Puts `v` into the ascending `top` (dropping its smallest); returns the new smallest. */
function insertTop(top: Float64Array, t: number, v: number): number {
  let j = 0;
  while (j + 1 < t && top[j + 1] < v) top[j] = top[j + 1], j++;
  top[j] = v;
  return top[0];
}

/** Largest number of top values tracked while scanning a channel (else: selection). */
const MAX_TOP = 64;

/** Reusable per-worker state for computing single-cell stacks of one size. */
export class CellStackKernel {
  /** Output side S. */
  readonly size: number;
  readonly #options: CellStackOptions;
  readonly #kernel = gaussianKernel(1, 4);
  readonly #binary: Uint8Array;
  readonly #blurred: Float64Array[];
  readonly #tmp: Float64Array;
  readonly #values: Float64Array;
  readonly #positives: Float64Array;
  /** The largest values of a channel window deciding its upper quantile (0 when too many). */
  readonly #top: Float64Array;
  #regions: Box[];
  #bits?: Uint16Array;
  #halves: Float16Array<ArrayBufferLike> = new Float16Array(0);

  /** Prepares buffers for `nMasks` masks of side `size`. */
  constructor(size: number, nMasks: number, options: CellStackOptions) {
    this.size = size;
    this.#options = options;
    const n = size * size;
    this.#binary = new Uint8Array(n);
    this.#blurred = Array.from({ length: nMasks }, () => new Float64Array(n));
    this.#tmp = new Float64Array(n);
    this.#values = new Float64Array(n);
    this.#positives = new Float64Array(n);
    const t = options.normalization ? upperRankCount(n, options.range[1]) : 0;
    this.#top = new Float64Array(t >= 1 && t <= MAX_TOP ? t : 0);
    this.#regions = this.#blurred.map(() => ({ y0: 0, y1: 0, x0: 0, x1: 0 }));
  }

  /** A float16 view of `out` (cached for the last output array). */
  #view(out: Uint16Array): Float16Array<ArrayBufferLike> {
    if (this.#bits !== out) {
      this.#bits = out;
      this.#halves = new Float16Array(out.buffer, out.byteOffset, out.length);
    }
    return this.#halves;
  }

  /**
   * Computes the (masks + channels, S, S) stack of cell `cellId` whose window starts at row `wy`,
   * column `wx` of the tiles, into `out` at element `offset` (float16 bit patterns).
   */
  compute(
    cellId: bigint,
    tiles: CellTiles,
    wy: number,
    wx: number,
    out: Uint16Array,
    offset: number,
  ): void {
    const S = this.size;
    const plane = S * S;
    const half = this.#view(out);
    const lo = Number(cellId & 0xffffffffn);
    const hi = Number(cellId >> 32n);
    let region: Box = { y0: 0, y1: 0, x0: 0, x1: 0 };
    let o = offset;
    for (let k = 0; k < tiles.labels.length; k++) {
      const labels = tiles.labels[k];
      // uint64 ids are read as (low, high) uint32 word pairs, uint32 ids one word each
      const stride = labels instanceof BigUint64Array ? 2 : 1;
      const words = labels instanceof BigUint64Array
        ? new Uint32Array(labels.buffer, labels.byteOffset, labels.length * 2)
        : labels;
      const bin = this.#binary; // all zero between cells
      // area to scan: the whole window, or the id's box in the tile clipped to the window
      let sy0 = 0, sy1 = S, sx0 = 0, sx1 = S;
      const index = tiles.boxes?.[k];
      if (stride === 1 && hi !== 0) sy1 = 0; // an id above 32 bits is not in a uint32 tile
      else if (index && !index.wide) {
        const b = hi === 0 ? index.boxes.get(lo) : undefined;
        if (!b) sy1 = 0;
        else {
          sy0 = Math.max(0, b[0] - wy), sy1 = Math.min(S, b[1] - wy);
          sx0 = Math.max(0, b[2] - wx), sx1 = Math.min(S, b[3] - wx);
        }
      }
      // binary mask of the scanned area and its bounding box in one pass
      let y0 = S, y1 = 0, x0 = S, x1 = 0;
      for (let y = sy0; y < sy1; y++) {
        let src = ((wy + y) * tiles.tileWidth + wx + sx0) * stride;
        const row = y * S;
        let rowHit = false;
        for (let x = sx0; x < sx1; x++, src += stride) {
          if (words[src] === lo && (stride === 1 || words[src + 1] === hi)) {
            bin[row + x] = 1;
            if (!rowHit) {
              rowHit = true;
              if (x < x0) x0 = x;
            }
            if (x >= x1) x1 = x + 1;
          }
        }
        if (rowHit) {
          if (y < y0) y0 = y;
          y1 = y + 1;
        }
      }
      const box: Box = y1 === 0 ? { y0: 0, y1: 0, x0: 0, x1: 0 } : { y0, y1, x0, x1 };
      fillHoles(bin, S, box);
      const blurred = this.#blurred[k];
      region = gaussianBlurMask(bin, S, box, this.#kernel, blurred, this.#tmp, this.#regions[k]);
      this.#regions[k] = region;
      for (let y = box.y0; y < box.y1; y++) bin.fill(0, y * S + box.x0, y * S + box.x1);
      out.fill(0, o, o + plane);
      for (let y = region.y0; y < region.y1; y++) {
        const row = y * S;
        for (let x = region.x0; x < region.x1; x++) half[o + row + x] = blurred[row + x];
      }
      o += plane;
    }
    const last = this.#blurred[tiles.labels.length - 1];
    for (const channel of tiles.image) {
      this.#channel(channel, tiles.tileWidth, wy, wx, last, region, half, o);
      o += plane;
    }
  }

  #channel(
    channel: Uint16Array,
    tileWidth: number,
    wy: number,
    wx: number,
    mask: Float64Array,
    region: Box,
    out: Float16Array<ArrayBufferLike>,
    o: number,
  ): void {
    const S = this.size;
    const plane = S * S;
    const values = this.#values;
    const { normalization, range } = this.#options;
    const ry0 = region.y0, ry1 = region.y1, rx0 = region.x0, rx1 = region.x1;
    // one pass: the masked values, how many are positive, and the few largest (ascending in
    // `top`, which starts as zeros: the window has at least that many values ≥ 0)
    const top = this.#top;
    const t = top.length;
    top.fill(0);
    let threshold = 0;
    let count = 0;
    for (let y = ry0; y < ry1; y++) {
      const src = (wy + y) * tileWidth + wx;
      const row = y * S;
      for (let x = rx0; x < rx1; x++) {
        const v = channel[src + x] * mask[row + x];
        values[row + x] = v;
        count += v > 0 ? 1 : 0;
        if (v > threshold && t > 0) threshold = insertTop(top, t, v);
      }
    }
    if (!normalization) {
      out.fill(0, o, o + plane);
      for (let y = ry0; y < ry1; y++) {
        const row = y * S;
        for (let x = rx0; x < rx1; x++) out[o + row + x] = values[row + x] / 65535;
      }
      return;
    }
    const zeros = plane - count;
    // the lower quantile is 0 when both ranks it interpolates fall among the zeros (the usual
    // case: a cell covers less than the window); otherwise select among the positive values
    const needPositives = Math.floor((plane - 1) * range[0]) + 1 >= zeros || t === 0;
    if (needPositives) {
      let k = 0;
      for (let y = ry0; y < ry1; y++) {
        const row = y * S;
        for (let x = rx0; x < rx1; x++) {
          if (values[row + x] > 0) this.#positives[k++] = values[row + x];
        }
      }
    }
    const qlo = needPositives
      ? quantileWithZerosSelect(this.#positives, count, zeros, range[0])
      : 0;
    const qhi = t > 0
      ? quantileFromTop(top, plane, range[1])
      : quantileWithZerosSelect(this.#positives, count, zeros, range[1]);
    out.fill(normalizeValue(0, qlo, qhi), o, o + plane);
    const ipr = qhi - qlo;
    for (let y = ry0; y < ry1; y++) {
      const row = y * S;
      for (let x = rx0; x < rx1; x++) {
        // scPortrait _normalize_image: (v - lo) / (hi - lo) unless hi == lo, clipped to [0, 1]
        let v = values[row + x] - qlo;
        if (ipr !== 0) v = v / ipr;
        out[o + row + x] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
}
