/**
 * The `stitching` world for AssemblyScript authors: register tile `b` against tile `a`.
 * A method is `(a, b, expectedDy, expectedDx, params) => Registration | null`.
 * @module
 */

import { hasError, internalError, invalidInput, lowerError, takeError } from "./errors";
import { freeArg, freeDeferred, RawArray } from "./memory";
import { Params } from "./params";
import { freeTileU16, TileU16 } from "./tile";

/** A measured offset of `b` relative to `a` and its alignment error (lower is better). */
export class Registration {
  constructor(public dy: f64, public dx: f64, public error: f64) {}
}

/** Signature of a registration method. */
export type RegisterFn = (
  a: TileU16,
  b: TileU16,
  expectedDy: f64,
  expectedDx: f64,
  params: Params,
) => Registration | null;

// result<registration, error>: tag @0, payload @8 (3 × f64, or error)
const RET_AREA = memory.data(32, 8);

/** The core export `scportrait:plugin/stitching@0.1.0#register` (14 flat parameters). */
export function registerExport(
  aC: i32,
  aH: i32,
  aW: i32,
  aPtr: i32,
  aLen: i32,
  bC: i32,
  bH: i32,
  bW: i32,
  bPtr: i32,
  bLen: i32,
  dy: f64,
  dx: f64,
  paramsPtr: i32,
  paramsLen: i32,
  method: RegisterFn,
): usize {
  const a = new TileU16(aC, aH, aW, new RawArray<u16>(<usize> aPtr, aLen, aLen));
  const b = new TileU16(bC, bH, bW, new RawArray<u16>(<usize> bPtr, bLen, bLen));
  const params = Params.parse(<usize> paramsPtr, <usize> paramsLen);
  freeArg(<usize> paramsPtr);
  const shapeA = a.checkShape("tile a");
  const shapeB = b.checkShape("tile b");
  if (shapeA.length > 0) invalidInput(shapeA);
  if (shapeB.length > 0) invalidInput(shapeB);
  let result: Registration | null = null;
  if (params !== null && !hasError()) result = method(a, b, dy, dx, params);
  freeTileU16(a);
  freeTileU16(b);
  if (result === null) internalError("register returned no result and recorded no error");
  const e = takeError();
  if (e !== null) lowerError(RET_AREA, 8, e);
  else {
    store<u8>(RET_AREA, 0);
    store<f64>(RET_AREA, result!.dy, 8);
    store<f64>(RET_AREA, result!.dx, 16);
    store<f64>(RET_AREA, result!.error, 24);
  }
  return RET_AREA;
}

/** The core export `cabi_post_…#register`. */
export function registerPostExport(_ret: usize): void {
  freeDeferred();
}
