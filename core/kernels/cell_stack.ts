/**
 * The per-cell computation of scPortrait's extraction (spec §4.1): for each mask, pixels `== id`
 * → fill holes → Gaussian σ=1; every image channel × the last mask; per-channel percentile
 * normalisation over the whole masked window (zeros included) or / 65535; stacked masks first and
 * stored as float16. Reads the window straight out of larger tiles, so nothing is copied first.
 * @module
 */
import { boundingBox, type Box, fillHoles } from "./fill_holes.ts";
import { gaussianBlurMask, gaussianKernel } from "./gaussian_blur.ts";
import { normalizeValue, quantileWithZeros } from "./quantile.ts";

/** Tiles the window is cut from; all share one width and origin. */
export interface CellTiles {
  /** Label tiles, one per mask (nucleus first), uint64 ids. */
  labels: BigUint64Array[];
  /** Image tiles, one per channel, uint16. */
  image: Uint16Array[];
  /** Width of every tile in pixels. */
  tileWidth: number;
}

/** Normalisation settings. */
export interface CellStackOptions {
  /** Percentile normalisation (true) or value / 65535 (false). */
  normalization: boolean;
  /** Lower and upper quantile (0–1). */
  range: readonly [number, number];
}

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
  }

  /**
   * Computes the (masks + channels, S, S) stack of cell `cellId` whose window starts at row `wy`,
   * column `wx` of the tiles, into `out` at element `offset` (float16).
   */
  compute(
    cellId: bigint,
    tiles: CellTiles,
    wy: number,
    wx: number,
    out: Float16Array,
    offset: number,
  ): void {
    const S = this.size;
    const plane = S * S;
    const lo = Number(cellId & 0xffffffffn);
    const hi = Number(cellId >> 32n);
    let region: Box = { y0: 0, y1: 0, x0: 0, x1: 0 };
    let o = offset;
    for (let k = 0; k < tiles.labels.length; k++) {
      const words = new Uint32Array(tiles.labels[k].buffer, tiles.labels[k].byteOffset);
      const bin = this.#binary;
      for (let y = 0; y < S; y++) {
        let src = ((wy + y) * tiles.tileWidth + wx) * 2;
        const row = y * S;
        for (let x = 0; x < S; x++, src += 2) {
          bin[row + x] = words[src] === lo && words[src + 1] === hi ? 1 : 0;
        }
      }
      const box = boundingBox(bin, S, S);
      fillHoles(bin, S, box);
      const blurred = this.#blurred[k];
      region = gaussianBlurMask(bin, S, box, this.#kernel, blurred, this.#tmp);
      for (let i = 0; i < plane; i++) out[o + i] = blurred[i];
      o += plane;
    }
    const last = this.#blurred[tiles.labels.length - 1];
    for (const channel of tiles.image) {
      this.#channel(channel, tiles.tileWidth, wy, wx, last, region, out, o);
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
    out: Float16Array,
    o: number,
  ): void {
    const S = this.size;
    const plane = S * S;
    const values = this.#values;
    const { normalization, range } = this.#options;
    let count = 0;
    for (let y = region.y0; y < region.y1; y++) {
      const src = (wy + y) * tileWidth + wx;
      for (let x = region.x0; x < region.x1; x++) {
        const v = channel[src + x] * mask[y * S + x];
        values[y * S + x] = v;
        if (v > 0) this.#positives[count++] = v;
      }
    }
    if (!normalization) {
      out.fill(0, o, o + plane);
      for (let y = region.y0; y < region.y1; y++) {
        for (let x = region.x0; x < region.x1; x++) out[o + y * S + x] = values[y * S + x] / 65535;
      }
      return;
    }
    const positives = this.#positives.subarray(0, count).sort();
    const zeros = plane - count;
    const qlo = quantileWithZeros(positives, zeros, range[0]);
    const qhi = quantileWithZeros(positives, zeros, range[1]);
    out.fill(normalizeValue(0, qlo, qhi), o, o + plane);
    for (let y = region.y0; y < region.y1; y++) {
      for (let x = region.x0; x < region.x1; x++) {
        out[o + y * S + x] = normalizeValue(values[y * S + x], qlo, qhi);
      }
    }
  }
}
