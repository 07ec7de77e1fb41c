/**
 * Multiscale pyramids built chunk by chunk from the previous level, in bounded memory (one output
 * chunk accumulator plus one input chunk at a time).
 *
 * Semantics match spatialdata's `scale_factors`: each factor applies to the PREVIOUS level, so
 * `[2, 4, 8]` gives levels at 1/2, 1/8 and 1/64 of the full size; each level's size is
 * `floor(previous / factor)` (the remainder is trimmed). Images use the block mean truncated to the
 * integer type, as xarray `coarsen(boundary="trim").mean().astype(dtype)` (multiscale-spatial-image's
 * `XARRAY_COARSEN`, spatialdata's image default up to 0.4); labels use nearest sampling of the
 * top-left pixel of each block (`mask[::f, ::f]`), which never invents label ids.
 * @module
 */
import { ScportraitError } from "../../errors.ts";

/** Integer typed arrays a raster level may hold. */
export type RasterArray = Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

/** How a level is reduced from the previous one. */
export type Downsampling = "mean" | "nearest";

/** (height, width) of each level for the given per-level scale factors. */
export function pyramidShapes(
  height: number,
  width: number,
  scaleFactors: readonly number[],
): [number, number][] {
  const shapes: [number, number][] = [[height, width]];
  for (const factor of scaleFactors) {
    const [h, w] = shapes[shapes.length - 1];
    if (!Number.isInteger(factor) || factor < 2 || h < factor || w < factor) {
      throw new ScportraitError(
        "STORE_INVALID",
        `Scale factor ${factor} does not fit a level of ${h}×${w}: use integers ≥ 2 that leave ` +
          `at least one pixel (scale factors ${JSON.stringify(scaleFactors)}).`,
      );
    }
    shapes.push([Math.floor(h / factor), Math.floor(w / factor)]);
  }
  return shapes;
}

/** Reads and writes chunks of one plane (channel) of the levels being built. */
export interface PyramidIo {
  /** Full (padded) decoded chunk `(cy, cx)` of `level`. */
  readChunk(level: number, cy: number, cx: number): Promise<RasterArray>;
  /** Writes the `h × w` valid part of chunk `(cy, cx)` of `level`. */
  writeChunk(
    level: number,
    cy: number,
    cx: number,
    data: RasterArray,
    h: number,
    w: number,
  ): Promise<void>;
}

/** Geometry of one level-to-level reduction. */
export interface LevelStep {
  /** Index of the level to build (≥ 1). */
  level: number;
  /** Shape of the previous level. */
  inShape: readonly [number, number];
  /** Shape of the level to build. */
  outShape: readonly [number, number];
  /** Chunk shape (same for all levels). */
  chunk: readonly [number, number];
  /** Scale factor from the previous level. */
  factor: number;
  /** Reduction. */
  mode: Downsampling;
}

/** Builds one output chunk of `step.level` from the chunks of the previous level. */
export async function buildPyramidChunk(
  io: PyramidIo,
  step: LevelStep,
  ocy: number,
  ocx: number,
  makeOutput: (n: number) => RasterArray,
): Promise<void> {
  const [ch, cw] = step.chunk;
  const f = step.factor;
  const oy0 = ocy * ch;
  const ox0 = ocx * cw;
  const oh = Math.min(ch, step.outShape[0] - oy0);
  const ow = Math.min(cw, step.outShape[1] - ox0);
  const out = makeOutput(oh * ow);
  const sums = step.mode === "mean" ? new Float64Array(oh * ow) : null;
  const iy0 = oy0 * f;
  const iy1 = (oy0 + oh) * f;
  const ix0 = ox0 * f;
  const ix1 = (ox0 + ow) * f;
  for (let cy = Math.floor(iy0 / ch); cy * ch < iy1; cy++) {
    for (let cx = Math.floor(ix0 / cw); cx * cw < ix1; cx++) {
      const input = await io.readChunk(step.level - 1, cy, cx);
      const ya = Math.max(iy0, cy * ch);
      const yb = Math.min(iy1, (cy + 1) * ch);
      const xa = Math.max(ix0, cx * cw);
      const xb = Math.min(ix1, (cx + 1) * cw);
      if (sums !== null) {
        accumulate(input, sums, { ya, yb, xa, xb, cy, cx, ch, cw, f, oy0, ox0, ow });
      } else sample(input, out, { ya, yb, xa, xb, cy, cx, ch, cw, f, oy0, ox0, ow });
    }
  }
  if (sums !== null) {
    const n = f * f;
    const target = out as Exclude<RasterArray, BigUint64Array>;
    for (let i = 0; i < sums.length; i++) target[i] = Math.floor(sums[i] / n);
  }
  await io.writeChunk(step.level, ocy, ocx, out, oh, ow);
}

interface Overlap {
  ya: number;
  yb: number;
  xa: number;
  xb: number;
  cy: number;
  cx: number;
  ch: number;
  cw: number;
  f: number;
  oy0: number;
  ox0: number;
  ow: number;
}

function accumulate(input: RasterArray, sums: Float64Array, o: Overlap): void {
  if (input instanceof BigUint64Array) {
    throw new ScportraitError(
      "STORE_INVALID",
      "Mean downsampling of uint64 data is not supported.",
    );
  }
  for (let y = o.ya; y < o.yb; y++) {
    const rowIn = (y - o.cy * o.ch) * o.cw - o.cx * o.cw;
    const rowOut = (Math.floor(y / o.f) - o.oy0) * o.ow - o.ox0;
    for (let x = o.xa; x < o.xb; x++) {
      sums[rowOut + Math.floor(x / o.f)] += input[rowIn + x];
    }
  }
}

function sample(input: RasterArray, out: RasterArray, o: Overlap): void {
  const ya = Math.ceil(o.ya / o.f) * o.f;
  const xa = Math.ceil(o.xa / o.f) * o.f;
  for (let y = ya; y < o.yb; y += o.f) {
    const rowIn = (y - o.cy * o.ch) * o.cw - o.cx * o.cw;
    const rowOut = (y / o.f - o.oy0) * o.ow - o.ox0;
    for (let x = xa; x < o.xb; x += o.f) {
      out[rowOut + x / o.f] = input[rowIn + x];
    }
  }
}
