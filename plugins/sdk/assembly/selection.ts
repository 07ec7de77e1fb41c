/**
 * The `selection` world for AssemblyScript authors: cell masks in, cutting shapes out, and a
 * cutting order over shape centroids. Methods are
 * `shapes(cells, params) => CuttingShape[] | null` and
 * `pathOrder(centroids, params) => RawArray<u32> | null`.
 * @module
 */

import { hasError, internalError, invalidInput, lowerError, takeError } from "./errors";
import { freeArg, freeDeferred, RawArray } from "./memory";
import { Params } from "./params";

/** The mask of one cell, cropped (`selection.cell-mask`). */
export class CellMask {
  constructor(
    public id: u64,
    public originY: i32,
    public originX: i32,
    public height: i32,
    public width: i32,
    public data: RawArray<u8>,
  ) {}

  /** True when the crop pixel at row `y`, column `x` belongs to the cell. */
  @inline
  inside(y: i32, x: i32): bool {
    return load<u8>(this.data.ptr + <usize> y * <usize> this.width + <usize> x) != 0;
  }
}

/** A cutting shape: the cells it covers and its polygon `x0, y0, x1, y1, …` (global pixels). */
export class CuttingShape {
  constructor(public ids: u64[], public polygon: RawArray<f32>) {}
}

/** Signature of a cutting-shape method. */
export type ShapesFn = (cells: CellMask[], params: Params) => CuttingShape[] | null;
/** Signature of a path-order method; `centroids` is `x0, y0, x1, y1, …`. */
export type PathOrderFn = (centroids: RawArray<f32>, params: Params) => RawArray<u32> | null;

// result<list<…>, error>: tag @0, list @4 (or error @4)
const RET_AREA = memory.data(16, 8);

function paramsOf(ptr: i32, len: i32): Params | null {
  const p = Params.parse(<usize> ptr, <usize> len);
  freeArg(<usize> ptr);
  return p;
}

// cell-mask: id u64 @0, origin-y @8, origin-x @12, height @16, width @20, data @24; size 32
/** The core export `scportrait:plugin/selection@0.1.0#shapes`. */
export function shapesExport(
  cellsPtr: i32,
  cellsLen: i32,
  paramsPtr: i32,
  paramsLen: i32,
  method: ShapesFn,
): usize {
  const cells = new Array<CellMask>(cellsLen);
  for (let i = 0; i < cellsLen; i++) {
    const at = <usize> cellsPtr + <usize> i * 32;
    const len = <i32> load<u32>(at, 28);
    const c = new CellMask(
      load<u64>(at),
      <i32> load<u32>(at, 8),
      <i32> load<u32>(at, 12),
      <i32> load<u32>(at, 16),
      <i32> load<u32>(at, 20),
      new RawArray<u8>(<usize> load<u32>(at, 24), len, len),
    );
    if (<i64> len != <i64> c.height * <i64> c.width) {
      invalidInput(
        "cells[" + i.toString() + "] has " + len.toString() + " mask bytes for " +
          c.height.toString() + "x" + c.width.toString(),
      );
    }
    unchecked(cells[i] = c);
  }
  freeArg(<usize> cellsPtr);
  const params = paramsOf(paramsPtr, paramsLen);
  let result: CuttingShape[] | null = null;
  if (params !== null && !hasError()) result = method(cells, params);
  for (let i = 0; i < cellsLen; i++) freeArg(unchecked(cells[i]).data.ptr);
  if (result === null) internalError("shapes returned no result and recorded no error");
  const e = takeError();
  if (e !== null) {
    if (result !== null) {
      for (let i = 0; i < result.length; i++) unchecked(result[i]).polygon.dispose();
    }
    lowerError(RET_AREA, 4, e);
    return RET_AREA;
  }
  const shapes = result!;
  const n = shapes.length;
  const list = heap.alloc(<usize> max(n, 1) * 16);
  for (let i = 0; i < n; i++) {
    const s = unchecked(shapes[i]);
    const at = list + <usize> i * 16;
    const ids = RawArray.withCapacity<u64>(s.ids.length);
    for (let k = 0; k < s.ids.length; k++) ids.push(unchecked(s.ids[k]));
    ids.lowerInto(at);
    s.polygon.lowerInto(at + 8);
  }
  store<u8>(RET_AREA, 0);
  new RawArray<u8>(list, n, n).lowerInto(RET_AREA + 4);
  return RET_AREA;
}

/** The core export `scportrait:plugin/selection@0.1.0#path-order`. */
export function pathOrderExport(
  pointsPtr: i32,
  pointsLen: i32,
  paramsPtr: i32,
  paramsLen: i32,
  method: PathOrderFn,
): usize {
  const points = new RawArray<f32>(<usize> pointsPtr, pointsLen, pointsLen);
  const params = paramsOf(paramsPtr, paramsLen);
  if (pointsLen % 2 != 0) {
    invalidInput("centroids has " + pointsLen.toString() + " values; it needs x, y pairs");
  }
  let result: RawArray<u32> | null = null;
  if (params !== null && !hasError()) result = method(points, params);
  freeArg(<usize> pointsPtr);
  if (result === null) internalError("path-order returned no result and recorded no error");
  else if (result.length != pointsLen / 2) {
    internalError(
      "path-order returned " + result.length.toString() + " indices for " +
        (pointsLen / 2).toString() + " shapes",
    );
  }
  const e = takeError();
  if (e !== null) {
    if (result !== null) result.dispose();
    lowerError(RET_AREA, 4, e);
  } else {
    store<u8>(RET_AREA, 0);
    result!.lowerInto(RET_AREA + 4);
  }
  return RET_AREA;
}

/** The core export `cabi_post_…` of both selection functions. */
export function selectionPostExport(_ret: usize): void {
  freeDeferred();
}
