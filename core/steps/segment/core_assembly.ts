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

/**
 * Applies one tile's claims to the final ids of `core` (`out[m]` for mask `m`, row-major, 0 =
 * unclaimed): a pixel keeps the smallest owned id claiming it. Call once per tile of the core's
 * neighbourhood, in any order.
 */
export function applyClaims(out: Float64Array[], core: PixelWindow, claims: TileClaims): void {
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
export function addCentreSums(ids: Float64Array, core: PixelWindow, sums: CentreSums): void {
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

/** Copies a window of float64 ids into uint64 (ids are integers below 2^53). */
function toUint64(
  ids: Float64Array,
  stride: number,
  y0: number,
  x0: number,
  h: number,
  w: number,
): BigUint64Array {
  const out = new BigUint64Array(h * w);
  const words = new Uint32Array(out.buffer); // little-endian: low word first
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const id = ids[(y0 + r) * stride + x0 + c];
      if (id === 0) continue;
      const i = 2 * (r * w + c);
      words[i] = id % 4294967296;
      words[i + 1] = Math.floor(id / 4294967296);
    }
  }
  return out;
}

/** Writes `ids` over `core` (a union of whole output chunks) as level-0 chunks of `writer`. */
export async function writeCoreChunks(
  writer: LabelsWriter,
  core: PixelWindow,
  ids: Float64Array,
): Promise<void> {
  const [ch, cw] = writer.chunk;
  const writes: Promise<void>[] = [];
  for (let y = 0; y < core.height; y += ch) {
    for (let x = 0; x < core.width; x += cw) {
      const h = Math.min(ch, core.height - y), w = Math.min(cw, core.width - x);
      const data = toUint64(ids, core.width, y, x, h, w);
      writes.push(writer.writeChunk(core.y + y, core.x + x, data, h, w, { transfer: true }));
    }
  }
  await Promise.all(writes);
}
