/**
 * Assembling one core tile's final labels from the claims of the tiles around it. Each pixel
 * takes the id of an owned object covering it; when owned objects of two tiles claim the same
 * pixel (two cells that each look complete from their own tile overlap), the smaller id — the
 * anchor earlier in raster order — wins. The rule depends only on the ids, never on tile size or
 * processing order. The core is then written as whole uint64 label chunks, and the per-cell pixel
 * sums that give the centres are returned.
 * @module
 */
import type { PixelWindow } from "../../io/image_source.ts";
import type { LabelsWriter } from "../../io/spatialdata/element_writers.ts";
import type { TileClaims } from "./tile_claims.ts";
import { intersect } from "./tile_grid.ts";

/** Per-cell sums over a core: id → [sum of y, sum of x, pixel count]. */
export type CentreSums = Map<number, [number, number, number]>;

/** A core's final ids, row-major: uint32 while every id fits (see {@link CoreBuffers}), else float64. */
export type IdPlane = Uint32Array | Float64Array;

/**
 * Applies one tile's claims to the final ids of `core` (`out[m]` for mask `m`, row-major, 0 =
 * unclaimed): a pixel keeps the smallest owned id claiming it. Call once per tile of the core's
 * neighbourhood, in any order.
 */
export function applyClaims(out: IdPlane[], core: PixelWindow, claims: TileClaims): void {
  const inter = intersect(claims.outer, core);
  if (inter === null) return;
  const { outer, ids } = claims;
  for (let m = 0; m < out.length; m++) {
    const plane = claims.labels[m];
    const target = out[m];
    for (let y = inter.y; y < inter.y + inter.height; y++) {
      const src = (y - outer.y) * outer.width - outer.x;
      const dst = (y - core.y) * core.width - core.x;
      for (let x = inter.x; x < inter.x + inter.width; x++) {
        const l = plane[src + x];
        if (l === 0) continue;
        const id = ids[l];
        if (id === 0) continue;
        const cur = target[dst + x];
        if (cur === 0 || id < cur) target[dst + x] = id;
      }
    }
  }
}

/** Adds each labelled pixel of `ids` (covering `core`) to `sums`. */
export function addCentreSums(ids: IdPlane, core: PixelWindow, sums: CentreSums): void {
  let last = 0;
  let entry: [number, number, number] | undefined;
  for (let r = 0; r < core.height; r++) {
    const y = core.y + r;
    for (let c = 0; c < core.width; c++) {
      const id = ids[r * core.width + c];
      if (id === 0) continue;
      if (id !== last) {
        entry = sums.get(id);
        if (entry === undefined) sums.set(id, entry = [0, 0, 0]);
        last = id;
      }
      entry![0] += y;
      entry![1] += core.x + c;
      entry![2]++;
    }
  }
}

/**
 * Memory reused from one core to the next: the id planes, the decoded claims of one neighbour
 * and one label chunk. A fresh buffer
 * costs a page fault per 4 KiB on first touch (15–40 µs on the measuring VM), which for a 2048²
 * core was more than assembling it, so these are allocated once for the largest core.
 * Id planes and chunks are uint32 while every id fits (images under 2^32 pixels: the writer widens
 * chunks to the array's uint64 as it encodes, and its pyramid reduces them without BigInts), else
 * float64 planes and uint64 chunks.
 */
export class CoreBuffers {
  #planes: IdPlane[] = [];
  #claims: Uint32Array[] = [];
  #chunk: Uint32Array | BigUint64Array;
  readonly #narrow: boolean;

  /** `masks` id planes; `imagePixels` bounds the ids (cell ids are at most the pixel count). */
  constructor(readonly masks: number, imagePixels: number) {
    this.#narrow = imagePixels < 2 ** 32;
    this.#chunk = this.#narrow ? new Uint32Array(0) : new BigUint64Array(0);
  }

  /** One zeroed id plane per mask for `core` (row-major, `core.height × core.width`). */
  planes(core: PixelWindow): IdPlane[] {
    const n = core.height * core.width;
    if (this.#planes.length === 0 || this.#planes[0].length < n) {
      this.#planes = Array.from(
        { length: this.masks },
        () => this.#narrow ? new Uint32Array(n) : new Float64Array(n),
      );
    }
    return this.#planes.map((plane) => plane.subarray(0, n).fill(0));
  }

  /** One buffer per mask for a neighbour's decoded claims over `core` (contents undefined). */
  claimPlanes(core: PixelWindow): Uint32Array[] {
    const n = core.height * core.width;
    if (this.#claims.length === 0 || this.#claims[0].length < n) {
      this.#claims = Array.from({ length: this.masks }, () => new Uint32Array(n));
    }
    return this.#claims;
  }

  /** A label chunk buffer of `n` samples (its contents are overwritten by the caller). */
  chunk(n: number): Uint32Array | BigUint64Array {
    if (this.#chunk.length < n) {
      this.#chunk = this.#chunk instanceof Uint32Array ? new Uint32Array(n) : new BigUint64Array(n);
    }
    return this.#chunk.subarray(0, n);
  }
}

/** Copies an `h × w` window of ids (integers below 2^53) at (`y0`, `x0`) into `out`. */
function copyIds(
  ids: IdPlane,
  stride: number,
  y0: number,
  x0: number,
  h: number,
  w: number,
  out: Uint32Array | BigUint64Array,
): void {
  if (out instanceof Uint32Array) {
    for (let r = 0; r < h; r++) {
      const from = (y0 + r) * stride + x0;
      out.set(ids.subarray(from, from + w), r * w);
    }
    return;
  }
  const words = new Uint32Array(out.buffer, out.byteOffset, 2 * h * w); // little-endian: low first
  for (let r = 0, i = 0; r < h; r++) {
    for (let c = 0, from = (y0 + r) * stride + x0; c < w; c++, from++, i += 2) {
      const id = ids[from];
      words[i] = id; // ToUint32: the low word of an integer below 2^53
      words[i + 1] = Math.floor(id / 4294967296);
    }
  }
}

/**
 * Writes `ids` over `core` (a union of whole output chunks) as level-0 chunks of `writer`, one
 * after another through the chunk buffer of `buffers`.
 */
export async function writeCoreChunks(
  writer: LabelsWriter,
  core: PixelWindow,
  ids: IdPlane,
  buffers: CoreBuffers,
): Promise<void> {
  const [ch, cw] = writer.chunk;
  for (let y = 0; y < core.height; y += ch) {
    for (let x = 0; x < core.width; x += cw) {
      const h = Math.min(ch, core.height - y), w = Math.min(cw, core.width - x);
      const data = buffers.chunk(h * w);
      copyIds(ids, core.width, y, x, h, w, data);
      await writer.writeChunk(core.y + y, core.x + x, data, h, w);
    }
  }
}
