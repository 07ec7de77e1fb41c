// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * The `segmentation` world for AssemblyScript authors: the records of `segmentation.wit` and the
 * canonical-ABI glue for `segment`. A method is a plain function
 * `(tile, region, stats, params) => SegmentationResult | null`; return null after recording an
 * error with `invalidParams` / `invalidInput` / `internalError`.
 * @module
 */

import { internalError, lowerError, takeError } from "./errors";
import { freeArg, freeDeferred, liftList, RawArray } from "./memory";
import { Params } from "./params";
import { lowerString } from "./strings";
import { freeTileU16, liftTileU16, TileU16 } from "./tile";

/** Where a tile sits in the image (`segmentation.tile-region`). */
export class TileRegion {
  /** Global row of the tile's first pixel (halo included). */
  originY: i32 = 0;
  /** Global column of the tile's first pixel. */
  originX: i32 = 0;
  /** Rows of the full image. */
  imageHeight: i32 = 0;
  /** Columns of the full image. */
  imageWidth: i32 = 0;
  /** First core row, tile-local. */
  coreY: i32 = 0;
  /** First core column, tile-local. */
  coreX: i32 = 0;
  /** Core rows. */
  coreHeight: i32 = 0;
  /** Core columns. */
  coreWidth: i32 = 0;
}

/** Global statistics of one channel (`segmentation.channel-stats`). */
export class ChannelStats {
  /** Channel index in the tile. */
  channel: i32 = 0;
  /** Smallest value in the image. */
  min: f64 = 0;
  /** Largest value in the image. */
  max: f64 = 0;
  /** Mean value. */
  mean: f64 = 0;
  /** Otsu threshold of the whole image. */
  otsuThreshold: f64 = 0;
  /** Requested probabilities, parallel to `quantileValues`. */
  quantileProbabilities: f64[] = [];
  /** Quantile values. */
  quantileValues: f64[] = [];

  /** The quantile at probability `p` (±1e-9), or NaN when the host did not provide it. */
  quantile(p: f64): f64 {
    for (let i = 0; i < this.quantileProbabilities.length; i++) {
      if (Math.abs(unchecked(this.quantileProbabilities[i]) - p) < 1e-9) {
        return unchecked(this.quantileValues[i]);
      }
    }
    return NaN;
  }
}

/** Objects of a mask, stored in the canonical layout of `object-info` (4 × u32 each). */
export class ObjectList {
  /** label, anchor-y, anchor-x, area per object. */
  raw: RawArray<u32> = RawArray.withCapacity<u32>(256);

  /** Number of objects. */
  @inline
  get length(): i32 {
    return this.raw.length >> 2;
  }

  /** Appends an object: tile-local `label`, global anchor, pixel count. */
  push(label: u32, anchorY: u32, anchorX: u32, area: u32): void {
    this.raw.push(label);
    this.raw.push(anchorY);
    this.raw.push(anchorX);
    this.raw.push(area);
  }
}

/** One output mask: tile-local labels over the whole tile plus its objects. */
export class MaskResult {
  constructor(
    public name: string,
    public labels: RawArray<u32>,
    public objects: ObjectList,
  ) {}
}

/** What a segmentation method returns for one tile. */
export class SegmentationResult {
  /** The masks, in the order of the manifest's outputs. */
  masks: MaskResult[] = [];
}

/** Signature of a segmentation method. */
export type SegmentFn = (
  tile: TileU16,
  region: TileRegion,
  stats: ChannelStats[],
  params: Params,
) => SegmentationResult | null;

// result<segmentation-result, error>: tag u8 @0, payload @4 (list 8 bytes or error 12 bytes)
const RET_AREA = memory.data(16, 8);

function liftRegion(at: usize): TileRegion {
  const r = new TileRegion();
  r.originY = <i32> load<u32>(at);
  r.originX = <i32> load<u32>(at, 4);
  r.imageHeight = <i32> load<u32>(at, 8);
  r.imageWidth = <i32> load<u32>(at, 12);
  r.coreY = <i32> load<u32>(at, 16);
  r.coreX = <i32> load<u32>(at, 20);
  r.coreHeight = <i32> load<u32>(at, 24);
  r.coreWidth = <i32> load<u32>(at, 28);
  return r;
}

// channel-stats: channel u32 @0, min @8, max @16, mean @24, otsu @32, quantiles list @40; size 48
function liftStatsAndFree(at: usize): ChannelStats[] {
  const list = liftList<u8>(at);
  const out = new Array<ChannelStats>(list.length);
  for (let i = 0; i < list.length; i++) {
    const p = list.ptr + <usize> i * 48;
    const s = new ChannelStats();
    s.channel = <i32> load<u32>(p);
    s.min = load<f64>(p, 8);
    s.max = load<f64>(p, 16);
    s.mean = load<f64>(p, 24);
    s.otsuThreshold = load<f64>(p, 32);
    const q = liftList<u8>(p + 40);
    for (let k = 0; k < q.length; k++) {
      s.quantileProbabilities.push(load<f64>(q.ptr + <usize> k * 16));
      s.quantileValues.push(load<f64>(q.ptr + <usize> k * 16, 8));
    }
    freeArg(q.ptr);
    unchecked(out[i] = s);
  }
  freeArg(list.ptr);
  return out;
}

function disposeResult(result: SegmentationResult): void {
  for (let i = 0; i < result.masks.length; i++) {
    const m = unchecked(result.masks[i]);
    m.labels.dispose();
    m.objects.raw.dispose();
  }
}

// mask-result: name @0, labels @8, objects @16; size 24
function lowerResult(result: SegmentationResult): void {
  const n = result.masks.length;
  const masks = heap.alloc(<usize> max(n, 1) * 24);
  for (let i = 0; i < n; i++) {
    const m = unchecked(result.masks[i]);
    const at = masks + <usize> i * 24;
    lowerString(at, m.name);
    m.labels.lowerInto(at + 8);
    m.objects.raw.lowerInto(at + 16, m.objects.length);
  }
  const tmp = new RawArray<u8>(masks, n, n);
  store<u8>(RET_AREA, 0);
  tmp.lowerInto(RET_AREA + 4);
}

/**
 * The core export `scportrait:plugin/segmentation@0.1.0#segment`. Its 17 flat parameters
 * exceed the canonical ABI's 16, so the host passes one pointer to the argument tuple
 * (tile-u16 @0, tile-region @20, list<channel-stats> @52, string @60; 68 bytes).
 */
export function segmentExport(args: usize, method: SegmentFn): usize {
  const tile = liftTileU16(args);
  const region = liftRegion(args + 20);
  const stats = liftStatsAndFree(args + 52);
  const paramsPtr = <usize> load<u32>(args, 60);
  const paramsLen = <usize> load<u32>(args, 64);
  const params = Params.parse(paramsPtr, paramsLen);
  freeArg(paramsPtr);
  freeArg(args);
  let result: SegmentationResult | null = null;
  if (params !== null) result = method(tile, region, stats, params);
  freeTileU16(tile);
  if (result === null) internalError("segment returned no result and recorded no error");
  const e = takeError();
  if (e !== null) {
    if (result !== null) disposeResult(result);
    lowerError(RET_AREA, 4, e);
  } else lowerResult(result!);
  return RET_AREA;
}

/** The core export `cabi_post_…#segment`: frees the buffers of the last result. */
export function segmentPostExport(_ret: usize): void {
  freeDeferred();
}
